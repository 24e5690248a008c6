import type { CdrCobrowse, CobrowseStep } from '@frontdesk/protocol';
import { seconds } from './cdr-builder.ts';

/**
 * The pure core of a CDR's co-browses (SPEC M32): from the steps of the conversation's sessions,
 * each session that went live, with who watched and who controlled it, in seconds. A span still
 * open when the session (or, failing that, the conversation) ended closes there.
 */
export function cobrowseOfCdr(steps: readonly CobrowseStep[], options: { mailOf: (agentId: string) => string; endedAtMs: number }): CdrCobrowse[] {
  const bySession = new Map<string, CobrowseStep[]>();
  for (const step of steps) bySession.set(step.sessionId, [...(bySession.get(step.sessionId) ?? []), step]);
  const out: CdrCobrowse[] = [];
  for (const [sessionId, list] of bySession) {
    const ordered = [...list].sort((a, b) => a.seq - b.seq);
    const started = ordered.find((s) => s.kind === 'started');
    if (!started) continue;
    const ended = ordered.find((s) => s.kind === 'ended');
    const endMs = ended?.at ?? options.endedAtMs;
    const watching = new Map<string, number>();
    const watched = new Map<string, number>();
    let controller: { agentId: string; since: number } | null = null;
    let requestedBy: string | null = null;
    const controlled = new Map<string, number>();
    const add = (totals: Map<string, number>, agentId: string, ms: number) => totals.set(agentId, (totals.get(agentId) ?? 0) + Math.max(0, ms));
    const endControl = (at: number) => {
      if (controller) add(controlled, controller.agentId, at - controller.since);
      controller = null;
    };
    for (const step of ordered) {
      const actor = step.actorId ?? '';
      switch (step.kind) {
        case 'viewer-joined':
          if (!watching.has(actor)) watching.set(actor, step.at);
          // Listed in the order they first watched.
          if (!watched.has(actor)) watched.set(actor, 0);
          break;
        case 'viewer-left': {
          const since = watching.get(actor);
          if (since !== undefined) add(watched, actor, step.at - since);
          watching.delete(actor);
          break;
        }
        case 'control-requested':
          requestedBy = actor;
          break;
        case 'control-granted':
          if (requestedBy) controller = { agentId: requestedBy, since: step.at };
          break;
        case 'control-revoked':
        case 'control-denied':
        case 'ended':
          endControl(step.at);
          break;
        default:
          break;
      }
    }
    endControl(endMs);
    for (const [agentId, since] of watching) add(watched, agentId, endMs - since);
    const list2 = (totals: Map<string, number>) => [...totals].map(([agentId, ms]) => ({ Mail: options.mailOf(agentId), Seconds: Math.round(ms / 1000) }));
    out.push({
      SessionId: sessionId,
      StartedBy: ordered[0]?.kind === 'proposed' ? 'agent' : 'visitor',
      StartTimestamp: seconds(started.at),
      EndedTimestamp: seconds(endMs),
      Duration: Math.max(0, Math.round((endMs - started.at) / 1000)),
      EndReason: ended ? (ended.actorRole === 'system' ? 'conversation-closed' : ended.actorRole) : 'conversation-closed',
      Viewers: list2(watched),
      Controllers: list2(controlled),
    });
  }
  return out;
}
