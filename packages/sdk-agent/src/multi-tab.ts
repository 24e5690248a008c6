import type { CoreSnapshot } from './agent-core.ts';
import type { Logger } from '@frontdesk/sdk-core';
import type { AgentEventMap, SdkResult } from './types.ts';

/**
 * Multi-tab sharing (TCCC `enableShared`): the tabs of one browser share one agent login and
 * one socket. Each tab asks for the same Web Lock; the holder is the leader: it owns the socket
 * and runs every operation, and relays its events to the other tabs over a BroadcastChannel.
 * Followers mirror the leader's state from those events and send their calls to it (RPC). When the
 * leader tab closes, the browser releases its lock and the next waiting tab takes over with the
 * stored login token: no new login, so nobody is kicked.
 *
 * NOTE: Web Locks rather than a hand-made election over BroadcastChannel: the browser releases a
 * lock when its tab dies, even by a crash, so there is never a leaderless or two-leader window.
 */

export interface LockManagerLike {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
  request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  close(): void;
}

export type TabMessage =
  | { kind: 'event'; name: keyof AgentEventMap; payload: unknown }
  | { kind: 'join'; from: string }
  | { kind: 'snapshot'; to: string | '*'; leader: string; snapshot: CoreSnapshot }
  | { kind: 'rpc'; id: string; from: string; op: string; args: unknown[] }
  | { kind: 'rpc-result'; id: string; to: string; result: SdkResult<unknown> };

export interface TabCoordinatorDeps {
  name: string;
  tabUUID: string;
  locks: LockManagerLike;
  channel: ChannelLike;
  log: Logger;
  rpcTimeoutMs: number;
  /** This tab holds the lock now: start the socket. */
  onLeader: () => Promise<void>;
  /** A message from another tab (events, snapshots, RPC calls for the leader). */
  onMessage: (message: TabMessage) => void;
}

export class TabCoordinator {
  #isLeader = false;
  #release: (() => void) | null = null;
  #stopped = false;
  #nextRpc = 0;
  #rpcs = new Map<string, { resolve: (r: SdkResult<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly deps: TabCoordinatorDeps) {
    deps.channel.onmessage = (ev) => this.#receive(ev.data as TabMessage);
  }

  get isLeader(): boolean {
    return this.#isLeader;
  }

  /** Resolves once this tab knows its role: true if it leads. A follower keeps waiting for the lock. */
  async start(): Promise<boolean> {
    const { locks, name } = this.deps;
    const isLeaderNow = await new Promise<boolean>((decided) => {
      void locks.request(name, { ifAvailable: true }, async (lock) => {
        if (!lock) return decided(false);
        decided(true);
        await this.#lead();
      });
    });
    if (!isLeaderNow) {
      // Queue for the lock: granted when the leader tab closes or stops.
      void locks.request(name, async () => {
        if (this.#stopped) return;
        await this.#lead();
      });
    }
    return isLeaderNow;
  }

  /** Holds the lock until stop(). */
  async #lead(): Promise<void> {
    if (this.#stopped) return;
    this.#isLeader = true;
    const held = new Promise<void>((resolve) => (this.#release = resolve));
    try {
      await this.deps.onLeader();
    } catch (err) {
      this.deps.log.error('leading failed', { error: String(err) });
    }
    await held;
    this.#isLeader = false;
  }

  post(message: TabMessage): void {
    if (!this.#stopped) this.deps.channel.postMessage(message);
  }

  /** A call run by the leader tab. */
  rpc(op: string, args: unknown[]): Promise<SdkResult<unknown>> {
    const id = `${this.deps.tabUUID}:${++this.#nextRpc}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#rpcs.delete(id);
        resolve({ status: 'error', errorCode: 'SDK_TIMEOUT', errorMsg: `the leader tab did not answer ${op}` });
      }, this.deps.rpcTimeoutMs);
      this.#rpcs.set(id, { resolve, timer });
      this.post({ kind: 'rpc', id, from: this.deps.tabUUID, op, args });
    });
  }

  #receive(message: TabMessage): void {
    if (this.#stopped) return;
    if (message.kind === 'rpc-result') {
      if (message.to !== this.deps.tabUUID) return;
      const pending = this.#rpcs.get(message.id);
      if (!pending) return;
      this.#rpcs.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.result);
      return;
    }
    if (message.kind === 'snapshot' && message.to !== '*' && message.to !== this.deps.tabUUID) return;
    this.deps.onMessage(message);
  }

  stop(): void {
    this.#stopped = true;
    this.#release?.();
    this.#release = null;
    for (const { resolve, timer } of this.#rpcs.values()) {
      clearTimeout(timer);
      resolve({ status: 'error', errorCode: 'SDK_DESTROYED', errorMsg: 'the client stopped' });
    }
    this.#rpcs.clear();
    this.deps.channel.onmessage = null;
    this.deps.channel.close();
  }
}
