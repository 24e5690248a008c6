import type { AgentClient, ConversationView } from '@frontdesk/sdk-agent';

/** One session as the screens see it; a new object on every change, so React can compare by identity. */
export interface SessionEntry {
  view: ConversationView;
  /** Bumped on every change of this session. */
  version: number;
}

/** Ringing offers first, then the pool, waiting ones, the agent's own, and ended ones last. */
const ROLE_RANK: Record<ConversationView['role'], number> = { offered: 0, pool: 1, unclaimed: 2, assigned: 3, ended: 4 };

type Listener = () => void;

/**
 * The sessions of the signed-in agent, kept from the SDK's `sessionsChanged` and `sessionUpdated`
 * events. NOTE: subscriptions are per session, so a message in one conversation re-renders only
 * that conversation's inbox row and (if open) its pane; the inbox list itself re-renders only
 * when the order of sessions changes.
 */
export function createSessionsStore(client: AgentClient) {
  const entries = new Map<string, SessionEntry>();
  const sessionListeners = new Map<string, Set<Listener>>();
  const listListeners = new Set<Listener>();
  let order: readonly string[] = [];
  let unreadTotal = 0;
  /** Reply drafts by session: a draft outlives a switch to another conversation and back. */
  const drafts = new Map<string, string>();

  // NOTE: every event makes a new entry, even for the same view object, in case the SDK updates
  // views in place: the entry's identity is what React compares.
  function put(view: ConversationView): boolean {
    const id = view.conversation.id;
    entries.set(id, { view, version: (entries.get(id)?.version ?? 0) + 1 });
    return true;
  }

  function notifySession(id: string) {
    for (const listener of sessionListeners.get(id) ?? []) listener();
  }

  const isBefore = (idA: string, idB: string) => {
    const a = entries.get(idA)!.view;
    const b = entries.get(idB)!.view;
    const byRole = ROLE_RANK[a.role] - ROLE_RANK[b.role];
    if (byRole !== 0) return byRole < 0;
    const byAge = a.conversation.createdAt - b.conversation.createdAt;
    return byAge !== 0 ? byAge < 0 : idA < idB;
  };

  /**
   * By role (offers on top, ended at the bottom), then oldest conversation first. NOTE: not by last
   * message: at 20 messages/s rows would jump under the agent's pointer, and every move costs the
   * browser a re-layout (measured with bench/workbench). Unread counts show where the news is.
   */
  function refreshOrder() {
    let next = order;
    const isSameSet = order.length === entries.size && order.every((id) => entries.has(id));
    const isSorted = isSameSet && order.every((id, i) => i === 0 || isBefore(order[i - 1]!, id));
    if (!isSorted) next = [...entries.keys()].sort((a, b) => (isBefore(a, b) ? -1 : 1));
    let total = 0;
    for (const entry of entries.values()) total += entry.view.unreadCount;
    const orderChanged = next !== order;
    const totalChanged = total !== unreadTotal;
    unreadTotal = total;
    if (orderChanged) order = next;
    if (orderChanged || totalChanged) for (const listener of listListeners) listener();
  }

  function replaceAll(views: readonly ConversationView[]) {
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const view of views) {
      seen.add(view.conversation.id);
      if (put(view)) changed.push(view.conversation.id);
    }
    for (const id of [...entries.keys()]) {
      if (!seen.has(id)) {
        entries.delete(id);
        drafts.delete(id);
        changed.push(id);
      }
    }
    for (const id of changed) notifySession(id);
    refreshOrder();
  }

  const offList = client.on('sessionsChanged', ({ sessions }) => replaceAll(sessions));
  const offOne = client.on('sessionUpdated', ({ session }) => {
    if (put(session)) notifySession(session.conversation.id);
    refreshOrder();
  });
  replaceAll(client.Chat.list());

  return {
    subscribeList(listener: Listener): () => void {
      listListeners.add(listener);
      return () => listListeners.delete(listener);
    },
    /** Ids of the sessions, in inbox order. */
    getOrder: (): readonly string[] => order,
    getUnreadTotal: (): number => unreadTotal,
    subscribeSession(id: string, listener: Listener): () => void {
      let set = sessionListeners.get(id);
      if (!set) sessionListeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) sessionListeners.delete(id);
      };
    },
    getSession: (id: string): SessionEntry | undefined => entries.get(id),
    /** The reply being written in a session ('' when none). */
    draftOf: (id: string): string => drafts.get(id) ?? '',
    setDraft(id: string, text: string) {
      if (text) drafts.set(id, text);
      else drafts.delete(id);
    },
    /** Removes an ended session from the inbox. */
    dismiss(id: string) {
      client.Chat.dismiss({ sessionId: id });
    },
    dispose() {
      offList();
      offOne();
      listListeners.clear();
      sessionListeners.clear();
      drafts.clear();
    },
  };
}

export type SessionsStore = ReturnType<typeof createSessionsStore>;
