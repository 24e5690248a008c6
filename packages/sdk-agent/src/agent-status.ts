import type { AgentState, ServerFrame } from '@frontdesk/protocol';
import type { AgentConnection } from './connection.ts';
import type { Emit } from './agent-events.ts';
import type { RestClient } from './rest.ts';
import { statusInfo, toServerStatus } from './status.ts';
import type { AgentStatusInfo, SettableStatus } from './types.ts';

export interface AgentStatusDeps {
  connection: AgentConnection;
  rest: RestClient;
  emit: Emit;
  /** The signed-in agent's id (null before start). */
  agentId: () => string | null;
}

/**
 * The agent's own status (TCCC `Agent.setStatus` / `getStatus`, Easemob codes): set over the socket
 * when it is up, else over REST; kept in step by the server's `agent.status` frames and re-read
 * after every reconnect.
 */
export class AgentStatusKeeper {
  current: AgentStatusInfo = statusInfo('offline', null, 0);

  constructor(private readonly deps: AgentStatusDeps) {}

  async set(status: SettableStatus, restReason?: string): Promise<AgentStatusInfo> {
    const { connection, rest } = this.deps;
    const serverStatus = toServerStatus(status);
    const reason = serverStatus === 'rest' ? restReason : undefined;
    const frame = { type: 'agent.status.set' as const, status: serverStatus, ...(reason ? { reason } : {}) };
    const state = connection.isOpen
      ? await connection.request<AgentState>(frame)
      : await rest.put<AgentState>('/v1/agents/me/status', { status: serverStatus, ...(reason ? { reason } : {}) });
    this.current = statusInfo(state.status, state.reason, Date.now());
    return this.current;
  }

  getState(): Promise<AgentState> {
    return this.deps.rest.get<AgentState>('/v1/agents/me/state');
  }

  /** After a (re)connect: the status may have changed while the socket was down. */
  async refresh(): Promise<void> {
    const state = await this.getState().catch(() => null);
    if (state && (this.current.at === 0 || state.status !== this.current.status || state.reason !== this.current.reason)) {
      const wasKnown = this.current.at !== 0;
      const from = this.current.status;
      this.current = statusInfo(state.status, state.reason, Date.now());
      // Changed while the socket was down (a supervisor, the sign-out timer): say so.
      if (wasKnown) this.deps.emit('statusChanged', { ...this.current, from });
    }
  }

  /** An `agent.status` frame: any agent's for supervisors (`agentStatus`), this agent's own (`statusChanged`). */
  onFrame(frame: Extract<ServerFrame, { type: 'agent.status' }>): void {
    const { emit } = this.deps;
    emit('agentStatus', { agentId: frame.agentId, from: frame.from, status: frame.status, reason: frame.reason, at: frame.at });
    if (frame.agentId !== this.deps.agentId()) return;
    this.current = statusInfo(frame.status, frame.reason, frame.at);
    emit('statusChanged', { ...this.current, from: frame.from });
  }
}
