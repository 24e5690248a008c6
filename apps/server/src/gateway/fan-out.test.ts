import type { Conversation, Message } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { createFanOut } from './fan-out.ts';
import { ConnectionRegistry } from './registry.ts';

const conversation = (id: string) => ({ id, appId: 'app', visitorId: 'v1', agentId: null, status: 'open' }) as Conversation;
const message = (conversationId: string, seq: number) => ({ id: `m${seq}`, conversationId, seq }) as Message;

describe('what moved while a hello read its conversations', () => {
  it('tells the conversations with a message event since the mark, and only those', () => {
    const fanOut = createFanOut(new ConnectionRegistry(), () => {});
    fanOut.onBusEvent({ type: 'message.created', conversation: conversation('before'), message: message('before', 1) });
    const mark = fanOut.mark();
    expect(fanOut.movedSince('before', mark)).toBe(false);
    fanOut.onBusEvent({ type: 'message.created', conversation: conversation('after'), message: message('after', 1) });
    expect(fanOut.movedSince('after', mark)).toBe(true);
    expect(fanOut.movedSince('before', mark)).toBe(false);
    expect(fanOut.movedSince('never', mark)).toBe(false);
    // A mark too old to tell: every conversation is read again.
    expect(fanOut.movedSince('never', { ...mark, at: mark.at - 61_000 })).toBe(true);
  });
});
