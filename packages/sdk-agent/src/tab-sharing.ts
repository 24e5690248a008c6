import type { Agent } from '@frontdesk/protocol';
import type { Logger } from '@frontdesk/sdk-core';
import type { AgentCore, CoreSnapshot } from './agent-core.ts';
import { TAB_LOCAL_EVENTS, type Emit } from './agent-events.ts';
import type { LeaderOp, LeaderOps } from './leader-ops.ts';
import { TabCoordinator, type ChannelLike, type LockManagerLike, type TabMessage } from './multi-tab.ts';
import { failure } from './results.ts';
import { statusInfo } from './status.ts';
import type { AgentEventMap, AgentEventName, ConnectionState, SdkResult } from './types.ts';

export interface TabSharingDeps {
  /** Share one login between the tabs of this browser (TCCC `enableShared`). */
  multiTab: boolean;
  tabUUID: string;
  core: AgentCore;
  ops: LeaderOps;
  log: Logger;
  rpcTimeoutMs: number;
  /** Raises an event to this tab's listeners only. */
  emitLocal: Emit;
  /** Started and not ended: a lock granted outside that is ignored. */
  isActive: () => boolean;
  /** A follower taking over reads the shared token again (the last leader may have renewed it). */
  reloadToken: () => void;
}

/**
 * Whether this tab leads or follows, and what that means for every call and event: the leader runs
 * operations on its core and relays its events to the other tabs; a follower sends operations to
 * the leader (RPC) and mirrors its state from the relayed events. Alone (no `multiTab`, or no Web
 * Locks or BroadcastChannel) a tab simply leads. The election itself is multi-tab.ts's.
 */
export class TabSharing {
  #isLeader: boolean;
  #coordinator: TabCoordinator | null = null;
  /** What a follower knows, from the leader's snapshot and events. */
  #mirror: CoreSnapshot = { agent: null, status: statusInfo('offline', null, 0), conversations: [], connectionState: 'idle', calls: [] };
  #followerReady: ((snapshot: CoreSnapshot) => void) | null = null;
  #agentKnown = false;

  constructor(private readonly deps: TabSharingDeps) {
    this.#isLeader = !deps.multiTab;
  }

  get isLeader(): boolean {
    return this.#isLeader;
  }

  /** The live state, from the core when leading, else from the mirror. */
  snapshot(): CoreSnapshot {
    return this.#isLeader ? this.deps.core.snapshot() : this.#mirror;
  }

  get connectionState(): ConnectionState {
    return this.#isLeader ? this.deps.core.connection.state : this.#mirror.connectionState;
  }

  /** The leader's events go to the other tabs too (not those about this tab only). */
  relay<E extends AgentEventName>(event: E, payload: AgentEventMap[E]): void {
    if (this.#coordinator && this.#isLeader && !TAB_LOCAL_EVENTS.has(event)) this.#coordinator.post({ kind: 'event', name: event, payload });
  }

  /** Runs an operation here when leading, else in the leader tab. */
  run<T>(op: LeaderOp, args: unknown[]): Promise<SdkResult<T>> {
    if (this.#isLeader) return this.deps.ops[op](args, this.deps.tabUUID) as Promise<SdkResult<T>>;
    return this.#coordinator!.rpc(op, args) as Promise<SdkResult<T>>;
  }

  /** Leads or follows; resolves with the signed-in agent. `name` identifies the shared login (server and app). */
  async start(name: string): Promise<Agent> {
    const { deps } = this;
    let agent: Agent;
    const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
    const Channel = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel;
    if (deps.multiTab && locks && Channel) {
      const coordinator = new TabCoordinator({
        name,
        tabUUID: deps.tabUUID,
        locks,
        channel: new Channel(name),
        log: deps.log.child('tabs'),
        rpcTimeoutMs: deps.rpcTimeoutMs,
        onLeader: async () => {
          if (!deps.isActive()) return;
          if (this.#agentKnown) {
            // A follower taking over from a closed leader tab: same login, same token.
            deps.reloadToken();
            await this.#lead();
            deps.emitLocal('leaderChanged', { isLeader: true, tabUUID: deps.tabUUID });
          }
        },
        onMessage: (message) => this.#receive(message),
      });
      this.#coordinator = coordinator;
      this.#isLeader = false;
      if (await coordinator.start()) agent = await this.#lead();
      else {
        const joined = new Promise<CoreSnapshot>((resolve) => (this.#followerReady = resolve));
        coordinator.post({ kind: 'join', from: deps.tabUUID });
        const first = await joined;
        this.#followerReady = null;
        if (!first.agent) throw failure('SDK_NOT_CONNECTED', 'the leader tab is not logged in');
        agent = first.agent;
      }
    } else {
      if (deps.multiTab) deps.log.warn('multi-tab sharing needs Web Locks and BroadcastChannel: this tab connects alone');
      agent = await this.#lead();
    }
    this.#agentKnown = true;
    return agent;
  }

  stop(): void {
    this.#coordinator?.stop();
    this.#coordinator = null;
  }

  /** This tab starts the connection (alone, or elected leader). */
  async #lead(): Promise<Agent> {
    const { core, tabUUID } = this.deps;
    this.#isLeader = true;
    const agent = await core.start();
    this.#coordinator?.post({ kind: 'snapshot', to: '*', leader: tabUUID, snapshot: core.snapshot() });
    return agent;
  }

  #receive(message: TabMessage): void {
    const { core, ops, tabUUID, emitLocal } = this.deps;
    const coordinator = this.#coordinator!;
    switch (message.kind) {
      case 'join':
        if (this.#isLeader && core.agent) coordinator.post({ kind: 'snapshot', to: message.from, leader: tabUUID, snapshot: core.snapshot() });
        return;
      case 'snapshot':
        if (this.#isLeader) return;
        this.#mirror = message.snapshot;
        this.#followerReady?.(message.snapshot);
        emitLocal('sessionsChanged', { sessions: this.#mirror.conversations });
        return;
      case 'rpc':
        if (!this.#isLeader || !(message.op in ops)) return;
        void ops[message.op as LeaderOp](message.args, message.from).then((result) => coordinator.post({ kind: 'rpc-result', id: message.id, to: message.from, result }));
        return;
      case 'event':
        if (this.#isLeader) return;
        this.#applyToMirror(message.name, message.payload);
        emitLocal(message.name, message.payload as never);
        return;
      default:
        return;
    }
  }

  #applyToMirror(name: AgentEventName, payload: unknown): void {
    const mirror = this.#mirror;
    if (name === 'sessionsChanged') this.#mirror = { ...mirror, conversations: [...(payload as AgentEventMap['sessionsChanged']).sessions] };
    else if (name === 'sessionUpdated') {
      const view = (payload as AgentEventMap['sessionUpdated']).session;
      const at = mirror.conversations.findIndex((c) => c.conversation.id === view.conversation.id);
      this.#mirror = { ...mirror, conversations: at < 0 ? [view, ...mirror.conversations] : mirror.conversations.map((c, i) => (i === at ? view : c)) };
    } else if (name === 'statusChanged') {
      const { from: _from, ...status } = payload as AgentEventMap['statusChanged'];
      this.#mirror = { ...mirror, status };
    } else if (name === 'connectionStateChanged') this.#mirror = { ...mirror, connectionState: (payload as AgentEventMap['connectionStateChanged']).state };
    else if (name === 'callUpdated') {
      const { call } = payload as AgentEventMap['callUpdated'];
      this.#mirror = { ...mirror, calls: [call, ...mirror.calls.filter((c) => c.id !== call.id)] };
    }
  }
}
