import type { Conversation, Message } from '@frontdesk/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DefaultReconnectPolicy } from './reconnect-policy.ts';
import { ConversationStore } from './conversation-store.ts';

const ME = 'agt_me';

function conversation(patch: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    appId: 'acme',
    visitorId: 'v1',
    agentId: ME,
    status: 'open',
    lastSeq: 0,
    visitorReadSeq: 0,
    agentReadSeq: 0,
    createdAt: 1,
    updatedAt: 1,
    closedAt: null,
    channelId: null,
    queueId: 'q1',
    routingState: 'assigned',
    closeBy: null,
    lastVisitorMessageAt: null,
    ...patch,
  } as Conversation;
}

function message(seq: number, patch: Partial<Message> = {}): Message {
  return { id: `m${seq}`, conversationId: 'c1', seq, clientId: null, senderType: 'visitor', senderId: 'v1', kind: 'text', text: `#${seq}`, file: null, createdAt: seq, ...patch } as Message;
}

describe('ConversationStore', () => {
  it('keeps messages once each, in seq order, whatever order and repetition they arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 80 }), (seqs) => {
        const store = new ConversationStore(() => ME);
        store.upsert(conversation());
        for (const seq of seqs) store.addMessage(message(seq));
        const held = store.get('c1')!.messages.map((m) => m.seq);
        expect(held).toEqual([...new Set(seqs)].sort((a, b) => a - b));
        expect(store.positions()).toEqual(seqs.length ? { c1: Math.max(...seqs) } : {});
      }),
    );
  });

  it('an acknowledged message settles its outbox entry by clientId', () => {
    const store = new ConversationStore(() => ME);
    store.upsert(conversation());
    store.addPending({ clientId: 'k1', conversationId: 'c1', kind: 'text', text: 'hi', createdAt: 1, state: 'sending' });
    expect(store.get('c1')!.pending).toHaveLength(1);
    store.addMessage(message(1, { clientId: 'k1', senderType: 'agent', senderId: ME }));
    expect(store.get('c1')!.pending).toEqual([]);
    expect(store.get('c1')!.unreadCount).toBe(0);
  });

  it('roles follow the conversation: offered, then assigned; ended once closed; gone when another agent takes it', () => {
    const store = new ConversationStore(() => ME);
    const offered = store.upsert(conversation({ agentId: null, routingState: 'offered' }), { role: 'offered', offerExpiresAt: 99 });
    expect(offered).toMatchObject({ before: null, after: 'offered', view: { offerExpiresAt: 99 } });
    expect(store.upsert(conversation({ updatedAt: 2 }))).toMatchObject({ before: 'offered', after: 'assigned' });
    expect(store.upsert(conversation({ status: 'closed', closeBy: 'client', updatedAt: 3 }))).toMatchObject({ before: 'assigned', after: 'ended' });
    const unclaimed = store.upsert(conversation({ id: 'c2', agentId: null, routingState: 'none' }));
    expect(unclaimed.after).toBe('unclaimed');
    expect(store.upsert(conversation({ id: 'c2', agentId: 'agt_other', updatedAt: 5 })).after).toBeNull();
    expect(store.get('c2')).toBeNull();
    // A closed conversation this agent never held is not listed.
    expect(store.upsert(conversation({ id: 'c3', status: 'closed' })).after).toBeNull();
  });

  it('an older update does not overwrite a newer one', () => {
    const store = new ConversationStore(() => ME);
    store.upsert(conversation({ updatedAt: 10, agentReadSeq: 5 }));
    store.upsert(conversation({ updatedAt: 9, agentReadSeq: 2 }));
    expect(store.get('c1')!.conversation.agentReadSeq).toBe(5);
  });

  it('lists the conversation with the newest activity first, a new message counting as activity', () => {
    const store = new ConversationStore(() => ME);
    store.upsert(conversation({ id: 'old', updatedAt: 10 }));
    store.upsert(conversation({ id: 'new', updatedAt: 20 }));
    expect(store.list().map((v) => v.conversation.id)).toEqual(['new', 'old']);
    store.addMessage(message(1, { conversationId: 'old', createdAt: 30 }));
    expect(store.list().map((v) => v.conversation.id)).toEqual(['old', 'new']);
  });

  it('keeps a closed conversation only when it was listed, or is brought back as ended', () => {
    const store = new ConversationStore(() => ME);
    expect(store.upsert(conversation({ id: 'gone', status: 'closed' })).after).toBeNull();
    expect(store.upsert(conversation({ id: 'back', status: 'closed' }), { role: 'ended' }).after).toBe('ended');
    expect(store.upsert(conversation({ id: 'open' }), { role: 'ended' }).after).toBeNull();
  });
});

describe('DefaultReconnectPolicy', () => {
  it('grows exponentially with jitter, within half to all of a capped ceiling, and never gives up', () => {
    const policy = new DefaultReconnectPolicy({ initialDelayMs: 100, maxDelayMs: 1000 });
    for (let retryCount = 0; retryCount < 12; retryCount++) {
      const ceiling = Math.min(1000, 100 * 2 ** retryCount);
      for (let i = 0; i < 20; i++) {
        const delay = policy.nextRetryDelayMs({ retryCount, elapsedMs: 0 });
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(new DefaultReconnectPolicy().nextRetryDelayMs({ retryCount: 10_000, elapsedMs: 86_400_000 })).toBeLessThanOrEqual(15_000);
  });
});
