/** The CDR-ready summary of an ended call (seed 004 CDR: root fields and ServeParticipants). */
import { closeByOf, legEndStatus } from './call-notices.ts';
import type { CallRecord, CallState, CallSummary, Participant } from './types.ts';

/** The call without its legs: what `call.created` carries and a `calls` row holds. */
export function recordOf(call: CallState): CallRecord {
  const { participants: _legs, hasRoom: _room, ...record } = call;
  return { ...record };
}

/** A copy of a leg as it is now, for `participant.changed`. */
export function snapshotOf(leg: Participant): Participant {
  return { ...leg };
}

/** Call once the call has ended: every leg has left and the end fields are set. */
export function summaryOf(call: CallState, endStatus: string): CallSummary {
  const endedAt = call.endedAt!;
  const endReason = call.endReason!;
  const hungUpSide = call.hungUpSide!;
  return {
    callId: call.id,
    conversationId: call.conversationId,
    kind: call.kind,
    direction: call.direction,
    origin: call.origin,
    queueId: call.queueId,
    mainAgentId: call.mainAgentId,
    visitorId: call.visitorId,
    startedAt: call.createdAt,
    queuedAt: call.queuedAt,
    ringAt: call.ringAt,
    acceptedAt: call.acceptedAt,
    connectedAt: call.connectedAt,
    endedAt,
    // TCCC: Duration = EndedTimestamp − AcceptTimestamp; an unanswered call lasted nothing.
    durationMs: call.acceptedAt === null ? 0 : endedAt - call.acceptedAt,
    endReason,
    hungUpSide,
    closeBy: closeByOf(endReason, hungUpSide),
    endStatus,
    participants: call.participants.map((leg) => ({
      seq: leg.seq,
      role: leg.role,
      userId: leg.userId,
      origin: leg.origin,
      invitedBy: leg.invitedBy,
      ringAt: leg.ringAt,
      acceptedAt: leg.acceptedAt,
      leftAt: leg.leftAt ?? endedAt,
      leftReason: leg.leftReason ?? 'call_ended',
      endStatus: legEndStatus(leg, leg.leftReason ?? 'call_ended', endStatus),
    })),
  };
}
