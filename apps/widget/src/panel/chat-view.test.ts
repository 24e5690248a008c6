import { VisitorSdkError, type MessageStatusEvent } from '@frontdesk/sdk-visitor';
import { describe, expect, it } from 'vitest';
import type { Message } from '@frontdesk/sdk-visitor';
import { withStatus, type OutgoingItem } from './chat-view.ts';

const status = (over: Partial<MessageStatusEvent>): MessageStatusEvent => ({ clientId: 'c1', conversationId: 'conv', kind: 'text', text: 'hi', status: 'pending', ...over }) as MessageStatusEvent;

describe('the visitor\'s unstored sends', () => {
  it('adds a send not shown yet, stamped now', () => {
    expect(withStatus({ outgoing: [], messages: [] }, status({}), 1000)).toEqual([{ clientId: 'c1', kind: 'text', text: 'hi', status: 'pending', percent: undefined, errorCode: undefined, createdAt: 1000 }]);
  });

  it('marks a shown send failed in place, keeping when it was made and its upload progress', () => {
    const uploading: OutgoingItem = { clientId: 'c1', kind: 'file', text: 'a.pdf', status: 'uploading', percent: 40, createdAt: 5 };
    const other: OutgoingItem = { clientId: 'c2', kind: 'text', text: 'x', status: 'pending', createdAt: 6 };
    const after = withStatus({ outgoing: [uploading, other], messages: [] }, status({ kind: 'file', text: 'a.pdf', status: 'failed', error: new VisitorSdkError('FD_SDK_NETWORK', 'down') }), 1000);
    expect(after).toEqual([{ clientId: 'c1', kind: 'file', text: 'a.pdf', status: 'failed', percent: 40, errorCode: 'FD_SDK_NETWORK', createdAt: 5 }, other]);
  });

  it('keeps an upload shown as uploading while it is pending again', () => {
    const uploading: OutgoingItem = { clientId: 'c1', kind: 'file', text: 'a.pdf', status: 'uploading', percent: 40, createdAt: 5 };
    expect(withStatus({ outgoing: [uploading], messages: [] }, status({ kind: 'file', text: 'a.pdf' }), 1000)[0]!.status).toBe('uploading');
  });

  it('leaves out a send the server has stored already, whose acknowledgement has not come yet', () => {
    const stored = { seq: 1, clientId: 'c1', conversationId: 'conv', text: 'hi' } as Message;
    const pending: OutgoingItem = { clientId: 'c1', kind: 'text', text: 'hi', status: 'pending', createdAt: 5 };
    expect(withStatus({ outgoing: [], messages: [stored] }, status({}), 1000)).toEqual([]);
    expect(withStatus({ outgoing: [pending], messages: [stored] }, status({}), 1000)).toEqual([]);
  });
});
