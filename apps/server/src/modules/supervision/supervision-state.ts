import type { ActiveSupervision, Conversation, SupervisionMode, SupervisionStep, SupervisionStepKind } from '@frontdesk/protocol';

/**
 * The pure core of supervision: what a conversation's steps (oldest first) say about who follows
 * it now, and who hears of each step and whisper. No I/O.
 */

const MODES: readonly SupervisionStepKind[] = ['monitor', 'whisper', 'barge'];

export function isMode(kind: SupervisionStepKind | null): kind is SupervisionMode {
  return kind !== null && MODES.includes(kind);
}

/** The supervisor's mode now: its last step when that entered a mode (intercept and stop end it). */
export function currentModeOf(steps: readonly SupervisionStep[], supervisorId: string): SupervisionMode | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.supervisorId === supervisorId) return isMode(step.mode) ? step.mode : null;
  }
  return null;
}

/** Everyone following the conversation now, with the time they entered their current mode. */
export function activeOf(conversation: Pick<Conversation, 'id' | 'status'>, steps: readonly SupervisionStep[]): ActiveSupervision[] {
  if (conversation.status !== 'open') return [];
  const last = new Map<string, SupervisionStep>();
  for (const step of steps) last.set(step.supervisorId, step);
  return [...last.values()].flatMap((step) => (isMode(step.mode) ? [{ conversationId: conversation.id, supervisorId: step.supervisorId, mode: step.mode, since: step.at }] : []));
}

/** Whether a supervisor has barged in before: its join notice is written once per conversation. */
export function hasBarged(steps: readonly SupervisionStep[], supervisorId: string): boolean {
  return steps.some((s) => s.supervisorId === supervisorId && s.mode === 'barge');
}

/**
 * Silent monitoring stays silent: the agent never learns of a `monitor` step, nor of the stop that
 * ends one. Whisper, barge and intercept are told to it (it hears the whispers, and the visitor
 * sees a barge-in anyway).
 */
export function isSilent(step: Pick<SupervisionStep, 'mode' | 'previousMode'>): boolean {
  return step.mode === 'monitor' || (step.mode === 'stop' && step.previousMode === 'monitor');
}

/** The steps an agent-role member of staff may read: the silent ones left out. */
export function stepsForAgents(steps: readonly SupervisionStep[]): SupervisionStep[] {
  return steps.filter((s) => !isSilent(s));
}

/**
 * Who hears of a step (by agent id): the supervisor's own sockets (its other tabs), the others
 * following the conversation, and its agent unless the step is silent. Never a visitor.
 */
export function stepAudience(conversation: Pick<Conversation, 'id' | 'status' | 'agentId'>, steps: readonly SupervisionStep[], step: SupervisionStep): string[] {
  const to = new Set<string>([step.supervisorId, ...activeOf(conversation, steps).map((a) => a.supervisorId)]);
  if (conversation.agentId && !isSilent(step)) to.add(conversation.agentId);
  return [...to];
}

/** Who reads a whisper live: the conversation's agent and every supervisor following it. Never a visitor. */
export function whisperAudience(conversation: Pick<Conversation, 'id' | 'status' | 'agentId'>, steps: readonly SupervisionStep[], supervisorId: string): string[] {
  const to = new Set<string>([supervisorId, ...activeOf(conversation, steps).map((a) => a.supervisorId)]);
  if (conversation.agentId) to.add(conversation.agentId);
  return [...to];
}
