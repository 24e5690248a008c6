import type { Logger } from '../../platform/logger.ts';

/**
 * Agents signed in when this node started whose sign-out died with the process before it. The
 * gateway signs an agent out a grace period after their last socket closes, with a timer that a
 * crash, or a restart within that period, takes with it: the agent would then stay "free" with no
 * one there, and offers would ring for them. The agents signed in at the start that still have no
 * socket on any live node a grace period later are signed out, as their timer would have done;
 * those who reconnected (the SDKs retry at once) are left alone.
 * NOTE: at the start only: the agents of one node of several that crashes stay signed in until a
 * node starts again.
 */
export function createStrandedSignIns(deps: {
  log: Logger;
  graceMs: number;
  appIds: () => Promise<string[]>;
  /** Agents the app's routing has signed in (any status but offline). */
  signedInAgents: (appId: string) => Promise<string[]>;
  isConnected: (appId: string, agentId: string) => Promise<boolean>;
  signOut: (appId: string, agentId: string) => Promise<void>;
}) {
  const { log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  async function inherited(): Promise<{ appId: string; agentId: string }[]> {
    const found: { appId: string; agentId: string }[] = [];
    for (const appId of await deps.appIds()) for (const agentId of await deps.signedInAgents(appId)) found.push({ appId, agentId });
    return found;
  }

  async function signOutStranded(agents: readonly { appId: string; agentId: string }[]): Promise<void> {
    for (const { appId, agentId } of agents) {
      if (closed) return;
      if (!(await deps.isConnected(appId, agentId))) await deps.signOut(appId, agentId);
    }
  }

  return {
    /** Notes who is signed in now (in the background: the start does not wait for every app's routing state). */
    start(): void {
      void inherited()
        .then((agents) => {
          if (agents.length === 0 || closed) return;
          timer = setTimeout(() => void signOutStranded(agents).catch((err) => log.warn({ err }, 'signing out agents left signed in failed')), deps.graceMs);
          timer.unref();
        })
        .catch((err) => log.warn({ err }, 'reading the agents signed in at start failed'));
    },
    close(): void {
      closed = true;
      clearTimeout(timer);
    },
  };
}
