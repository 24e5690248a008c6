import type { Conversation } from '@frontdesk/protocol';
import { hasRole, type Principal } from '../platform/principal.ts';
import type { Connection } from './connection.ts';

/** Sockets of this node, indexed by who they belong to. */
export class ConnectionRegistry {
  private readonly pending = new Set<Connection>();
  private readonly byVisitor = new Map<string, Set<Connection>>();
  private readonly byAgent = new Map<string, Set<Connection>>();
  private readonly agentsByApp = new Map<string, Set<Connection>>();
  private readonly supervisorsByApp = new Map<string, Set<Connection>>();
  /** Agent sockets sent a routed conversation as its agent, by conversation: told once when it leaves them. */
  private readonly holders = new Map<string, Set<Connection>>();
  private readonly heldBy = new Map<Connection, Set<string>>();
  /**
   * Agent sockets following a conversation they do not serve (ringing for them, in their pool,
   * waiting to be claimed), by conversation: they get its messages and the visitor's typing, so the
   * inbox shows previews and unread counts before anyone takes it.
   */
  private readonly watchers = new Map<string, Set<Connection>>();
  private readonly watchedBy = new Map<Connection, Set<string>>();
  /** Open sockets per client address, pending or authenticated (the per-address cap). */
  private readonly perAddress = new Map<string, number>();
  private readonly counted = new WeakSet<Connection>();

  addPending(conn: Connection): void {
    this.pending.add(conn);
    this.counted.add(conn);
    this.perAddress.set(conn.address, (this.perAddress.get(conn.address) ?? 0) + 1);
  }

  countAtAddress(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** Authenticated sockets of this visitor or agent on this node. */
  countOf(principal: Principal): number {
    if (principal.kind === 'visitor') return this.byVisitor.get(principal.visitorId)?.size ?? 0;
    if (principal.kind === 'agent') return this.byAgent.get(principal.agentId)?.size ?? 0;
    return 0;
  }

  authenticate(conn: Connection): void {
    this.pending.delete(conn);
    const p = conn.principal;
    if (p?.kind === 'visitor') add(this.byVisitor, p.visitorId, conn);
    if (p?.kind === 'agent') {
      add(this.byAgent, p.agentId, conn);
      add(this.agentsByApp, p.appId, conn);
      if (hasRole(p, 'supervisor')) add(this.supervisorsByApp, p.appId, conn);
    }
  }

  remove(conn: Connection): void {
    this.pending.delete(conn);
    if (this.counted.delete(conn)) {
      const left = (this.perAddress.get(conn.address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(conn.address, left);
      else this.perAddress.delete(conn.address);
    }
    for (const conversationId of this.heldBy.get(conn) ?? []) drop(this.holders, conversationId, conn);
    this.heldBy.delete(conn);
    for (const conversationId of this.watchedBy.get(conn) ?? []) drop(this.watchers, conversationId, conn);
    this.watchedBy.delete(conn);
    const p = conn.principal;
    if (p?.kind === 'visitor') drop(this.byVisitor, p.visitorId, conn);
    if (p?.kind === 'agent') {
      drop(this.byAgent, p.agentId, conn);
      drop(this.agentsByApp, p.appId, conn);
      drop(this.supervisorsByApp, p.appId, conn);
    }
  }

  visitorsOf(c: Conversation): Iterable<Connection> {
    return this.byVisitor.get(c.visitorId) ?? [];
  }

  agentsOf(c: Conversation): Iterable<Connection> {
    return (c.agentId && this.byAgent.get(c.agentId)) || [];
  }

  /** Records that these agent sockets hold the conversation (they were sent it as its agent). */
  hold(conversationId: string, conns: Iterable<Connection>): void {
    for (const conn of conns) {
      add(this.holders, conversationId, conn);
      add(this.heldBy, conn, conversationId);
    }
  }

  /**
   * Sockets that held the conversation but are not of its agent now (transferred, requeued):
   * answered once, then forgotten, so they are told of the change and nothing after it.
   */
  *formerHolders(c: Conversation): Iterable<Connection> {
    const held = this.holders.get(c.id);
    if (!held) return;
    for (const conn of [...held]) {
      if (conn.principal?.kind === 'agent' && conn.principal.agentId === c.agentId) continue;
      held.delete(conn);
      this.heldBy.get(conn)?.delete(c.id);
      yield conn;
    }
    if (held.size === 0) this.holders.delete(c.id);
  }

  /** Forgets who held a conversation (it ended). */
  release(conversationId: string): void {
    for (const conn of this.holders.get(conversationId) ?? []) this.heldBy.get(conn)?.delete(conversationId);
    this.holders.delete(conversationId);
  }

  /** This agent socket follows the conversation without serving it (see `watchers`). */
  watch(conversationId: string, conn: Connection): void {
    add(this.watchers, conversationId, conn);
    add(this.watchedBy, conn, conversationId);
  }

  watchersOf(conversationId: string): Iterable<Connection> {
    return this.watchers.get(conversationId) ?? [];
  }

  /** Stops the watching of a conversation: by the sockets of one agent, or by all (taken, ended). */
  unwatch(conversationId: string, agentId?: string): void {
    const set = this.watchers.get(conversationId);
    if (!set) return;
    for (const conn of [...set]) {
      if (agentId !== undefined && !(conn.principal?.kind === 'agent' && conn.principal.agentId === agentId)) continue;
      set.delete(conn);
      this.watchedBy.get(conn)?.delete(conversationId);
    }
    if (set.size === 0) this.watchers.delete(conversationId);
  }

  hasAgent(agentId: string): boolean {
    return this.byAgent.has(agentId);
  }

  agent(agentId: string): Iterable<Connection> {
    return this.byAgent.get(agentId) ?? [];
  }

  visitor(visitorId: string): Iterable<Connection> {
    return this.byVisitor.get(visitorId) ?? [];
  }

  *participants(c: Conversation): Iterable<Connection> {
    yield* this.visitorsOf(c);
    yield* this.agentsOf(c);
  }

  agentsOfApp(appId: string): Iterable<Connection> {
    return this.agentsByApp.get(appId) ?? [];
  }

  /** Agents with the supervisor (or admin) role: they watch every conversation and status. */
  supervisorsOfApp(appId: string): Iterable<Connection> {
    return this.supervisorsByApp.get(appId) ?? [];
  }

  *all(): Iterable<Connection> {
    yield* this.pending;
    for (const set of this.byVisitor.values()) yield* set;
    for (const set of this.byAgent.values()) yield* set;
  }

  size(): number {
    let n = this.pending.size;
    for (const set of this.byVisitor.values()) n += set.size;
    for (const set of this.byAgent.values()) n += set.size;
    return n;
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function drop(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
