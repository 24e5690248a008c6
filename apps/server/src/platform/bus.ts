import type { Call, Conversation, Message, MessageDelivery, PartyRef, SenderType, ServerFrame } from '@frontdesk/protocol';

/**
 * Domain events fanned out to connected clients. In-process now; a Redis or NATS bus
 * implements the same interface for several nodes. Events are published after commit.
 */
export type BusEvent =
  | { type: 'message.created'; conversation: Conversation; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  | { type: 'typing'; conversation: Conversation; senderType: SenderType; senderId: string; isTyping: boolean; draft?: string }
  | { type: 'read'; conversation: Conversation; senderType: SenderType; senderId: string; seq: number }
  /** Deliveries of a messaging channel's messages moved: for the conversation's agent, watchers and supervisors. */
  | { type: 'delivery'; conversation: Conversation; deliveries: MessageDelivery[] }
  /** These sessions of the agent were replaced by a newer login: close their sockets (SPEC M6). */
  | { type: 'agent.sessions.replaced'; appId: string; agentId: string; sessionIds: string[] }
  /** Close every socket of this user (SPEC M7). */
  | { type: 'kick'; appId: string; userId: string }
  /** Transparent channel data for this user's sockets (SPEC M13). */
  | { type: 'transparent'; appId: string; userId: string; data: string }
  /** A call as it stands, for its parties' sockets and the app's supervisors. */
  | { type: 'call'; call: Call; to: PartyRef[] }
  /** Who may receive whom in this call changed: each node's media relay re-checks the legs it holds. */
  | { type: 'call.forwarding-changed'; appId: string; callId: string }
  /**
   * A frame for these users' sockets (a call notice to an agent, another party's media up or down, a
   * whisper, a co-browse relay): one event for all of them, so the frame is serialized once.
   */
  | { type: 'frame'; appId: string; to: PartyRef[]; frame: ServerFrame };

export interface Bus {
  publish(event: BusEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

export function createInProcessBus(): Bus {
  const handlers = new Set<(event: BusEvent) => void>();
  return {
    publish(event) {
      for (const handler of handlers) handler(event);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}

/**
 * The part every bus across nodes shares: an event reaches this node's subscribers at once, and the
 * events published in one event-loop turn (a group commit's messages) go to the other nodes together
 * once the turn ends, in the order published (`send`). `receive` hands another node's events to this
 * node's subscribers; `stop` ends the transport once what is pending was sent.
 */
export function createRelayBus(transport: { send(events: BusEvent[]): void; stop(): Promise<void> }): Bus & { receive(events: Iterable<BusEvent>): void } {
  const local = createInProcessBus();
  let pending: BusEvent[] = [];
  function flush(): void {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    transport.send(events);
  }
  return {
    publish(event) {
      local.publish(event);
      if (pending.length === 0) setImmediate(flush);
      pending.push(event);
    },
    subscribe: local.subscribe,
    receive(events) {
      for (const event of events) local.publish(event);
    },
    async close() {
      flush();
      await transport.stop();
      await local.close();
    },
  };
}

/**
 * The events of a turn as JSON, in order, in runs whose comma-joined JSON stays within `maxBytes`
 * (UTF-8): each run to `batch`, each event larger than `maxBytes` by itself to `tooLarge`, in place.
 * For the transports with a size limit per message (NOTIFY: 8,000 bytes; NATS: its max payload).
 */
export function packEvents(events: readonly BusEvent[], maxBytes: number, out: { batch(jsons: string[]): void; tooLarge(event: BusEvent, json: string): void }): void {
  let run: string[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length > 0) out.batch(run);
    run = [];
    runBytes = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes > maxBytes) {
      flush();
      out.tooLarge(event, json);
      continue;
    }
    if (run.length > 0 && runBytes + 1 + bytes > maxBytes) flush();
    runBytes += (run.length > 0 ? 1 : 0) + bytes;
    run.push(json);
  }
  flush();
}
