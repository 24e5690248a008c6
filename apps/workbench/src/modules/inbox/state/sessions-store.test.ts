import type { AgentClient, AgentEventMap, Conversation, ConversationView, Message } from '@frontdesk/sdk-agent';
import { describe, expect, it } from 'vitest';
import { createSessionsStore } from './sessions-store.ts';

/** The part of the SDK client the store uses: its events, `Chat.list()` and `Chat.dismiss()`. */
function fakeClient() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let sessions: ConversationView[] = [];
  const client = {
    on<E extends keyof AgentEventMap>(event: E, listener: (payload: AgentEventMap[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    Chat: { list: () => sessions, dismiss: ({ sessionId }: { sessionId: string }) => client.setSessions(sessions.filter((s) => s.conversation.id !== sessionId)) },
    setSessions(next: ConversationView[]) {
      sessions = next;
      for (const listener of listeners.get('sessionsChanged') ?? []) listener({ sessions: next });
    },
    update(view: ConversationView) {
      sessions = sessions.map((s) => (s.conversation.id === view.conversation.id ? view : s));
      for (const listener of listeners.get('sessionUpdated') ?? []) listener({ session: view });
    },
  };
  return client;
}

function view(id: string, role: ConversationView['role'], createdAt: number, unreadCount = 0, messages: Message[] = []): ConversationView {
  const conversation = { id, createdAt, updatedAt: createdAt, visitorId: `v-${id}` } as Conversation;
  return { conversation, role, offerExpiresAt: null, messages, pending: [], unreadCount, isVisitorTyping: false, visitorDraft: null, hasFullHistory: true };
}

describe('the inbox store', () => {
  it('orders offers first, then oldest conversation first, ended last; a new message does not move a row', () => {
    const client = fakeClient();
    const store = createSessionsStore(client as unknown as AgentClient);
    client.setSessions([view('a', 'assigned', 300), view('b', 'ended', 100), view('c', 'assigned', 200), view('d', 'offered', 400)]);
    expect(store.getOrder()).toEqual(['d', 'c', 'a', 'b']);

    const order = store.getOrder();
    const message = { id: 'm1', seq: 1, createdAt: 500 } as Message;
    client.update(view('a', 'assigned', 300, 1, [message]));
    expect(store.getOrder()).toBe(order);
    expect(store.getUnreadTotal()).toBe(1);
  });

  it('notifies only the changed session and the list only when order or unread total change', () => {
    const client = fakeClient();
    const store = createSessionsStore(client as unknown as AgentClient);
    client.setSessions([view('a', 'assigned', 1), view('b', 'assigned', 2)]);
    const calls: string[] = [];
    store.subscribeList(() => calls.push('list'));
    store.subscribeSession('a', () => calls.push('a'));
    store.subscribeSession('b', () => calls.push('b'));

    client.update(view('b', 'assigned', 2, 0));
    expect(calls).toEqual(['b']);
    client.update(view('b', 'assigned', 2, 3));
    expect(calls).toEqual(['b', 'b', 'list']);
    const before = store.getSession('b');
    client.update(view('b', 'ended', 2, 3));
    expect(store.getSession('b')).not.toBe(before);
    store.dismiss('b');
    expect(store.getOrder()).toEqual(['a']);
  });

  it('keeps a reply draft per session across switches, until it is cleared or the session leaves the inbox', () => {
    const client = fakeClient();
    const store = createSessionsStore(client as unknown as AgentClient);
    client.setSessions([view('a', 'assigned', 1), view('b', 'assigned', 2)]);
    store.setDraft('a', 'Your parcel left the ');
    expect(store.draftOf('a')).toBe('Your parcel left the ');
    expect(store.draftOf('b')).toBe('');
    store.setDraft('a', '');
    expect(store.draftOf('a')).toBe('');
    store.setDraft('b', 'one moment');
    client.setSessions([view('a', 'assigned', 1)]);
    expect(store.draftOf('b')).toBe('');
  });
});
