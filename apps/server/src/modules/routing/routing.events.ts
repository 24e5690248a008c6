import type { RoutingAction } from './engine/types.ts';

/** The decisions of one logged routing event, at the time it was handled. */
export interface Decided {
  appId: string;
  at: number;
  actions: RoutingAction[];
}

/** What routing announces (platform/events). */
export interface RoutingEvents {
  /**
   * The routing core decided (offers, assignments, queueing, ends, agent status). In-transaction
   * listeners run on the node that decided, in the routing transaction (conversations apply the
   * decisions to their rows, webhooks record them). After-commit listeners run on every node: on
   * the deciding node after commit, on the others when they replay the routing log, so each node
   * tells its own sockets (offers) and its own waiting visitors (reminders).
   */
  'routing.decided': Decided;
}
