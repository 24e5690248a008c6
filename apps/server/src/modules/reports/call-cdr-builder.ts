import { CDR_CALL_TYPE_INBOUND, CDR_CALL_TYPE_INTERNAL, CDR_CALL_TYPE_OUTBOUND, type Cdr, type CdrParticipant, type CallSupervisionStep } from '@frontdesk/protocol';
import type { CallSummary } from '../calls/index.ts';
import { participantDefaults, seatUserOf, seconds, unknownCdrFields, type CdrDirectory } from './cdr-builder.ts';
import { supervisorParticipants } from './supervisor-participants.ts';

/** TCCC `EndStatus` numbers of the call end statuses (seed 004 and TCCC's published list; 1 = ok). */
const CALL_END_STATUSES: Record<string, number> = {
  ok: 1,
  userReject: 102,
  waitingGiveUp: 103,
  ringingGiveUp: 104,
  notAnswer: 105,
  busy: 106,
  noSeatOnline: 201,
  notWorkTime: 202,
  callerCancel: 203,
  unconnected: 204,
  error: 205,
  seatGiveUp: 206,
};

/**
 * Who called whom, and the seed's CallType: a visitor's call (inbound, the visitor calls the agent who
 * answered or the queue), an agent's call to a visitor (outbound), or an internal call (CallType 6,
 * Direction 1: the calling agent to the agent called, by id as the other calls name agents).
 */
function partiesOf(summary: CallSummary): { caller: string; callee: string; isOutgoing: boolean; callType: number } {
  switch (summary.direction) {
    case 'internal': {
      const callee = summary.participants.find((p) => p.role === 'agent' && p.origin === 'callee');
      return { caller: summary.mainAgentId ?? '', callee: callee?.userId ?? '', isOutgoing: true, callType: CDR_CALL_TYPE_INTERNAL };
    }
    case 'outbound':
      return { caller: summary.mainAgentId ?? '', callee: summary.visitorId ?? '', isOutgoing: true, callType: CDR_CALL_TYPE_OUTBOUND };
    case 'inbound':
      return { caller: summary.visitorId ?? '', callee: summary.mainAgentId ?? summary.queueId ?? '', isOutgoing: false, callType: CDR_CALL_TYPE_INBOUND };
  }
}

/** A recorded call's recording: its id, and a link to its mixed file valid for its retention. */
export interface CdrRecording {
  id: string;
  url: string;
}

/**
 * The pure core: an ended call's summary (from the call engine) in, its TCCC-shaped CDR out. Every
 * agent leg is a ServeParticipant (an agent rung and declining is one too, with its own end status).
 * Named as chat CDRs are (cdr-builder.ts): agents by email, the app and queues by number. The
 * call's supervisors follow as `supervisorSeat` participants, one per span of supervision (SPEC
 * M28); a supervisor who took the call over is also a staff leg (origin `interceptor`), and the
 * agent it took it from ends with `intercepted`.
 */
export function buildCallCdr(summary: CallSummary, { appNumericId, queues, agents }: CdrDirectory, recording?: CdrRecording, supervision: readonly CallSupervisionStep[] = []): Cdr {
  const agentLegs = summary.participants.filter((p) => p.role === 'agent');
  const queue = summary.queueId ? queues.get(summary.queueId) : undefined;
  const participants: CdrParticipant[] = agentLegs.map((p, i) => ({
    ...participantDefaults(),
    Mail: agents.get(p.userId)?.email ?? p.userId,
    Type: 'staffSeat',
    Sequence: i,
    StartTimeStamp: seconds(p.ringAt ?? p.acceptedAt ?? summary.startedAt),
    RingTimestamp: seconds(p.ringAt),
    AcceptTimestamp: seconds(p.acceptedAt),
    EndedTimestamp: seconds(p.leftAt),
    SkillGroupId: queue?.numericId ?? 0,
    SkillGroupName: queue?.name ?? '',
    EndStatusString: p.endStatus,
    // TCCC: each participant's recording id; ours are one recording per call (a file per participant in it).
    RecordId: recording?.id ?? '',
  }));
  participants.push(...supervisorParticipants(supervision, { mailOf: (id) => agents.get(id)?.email ?? id, endedAtMs: summary.endedAt, firstSequence: participants.length }));
  const { caller, callee, isOutgoing, callType } = partiesOf(summary);
  return {
    SdkAppId: appNumericId,
    SessionId: summary.callId,
    Caller: caller,
    Callee: callee,
    Direction: isOutgoing ? 1 : 0,
    CallType: callType,
    MediaType: summary.kind,
    StartTimestamp: seconds(summary.startedAt),
    StartTimeStamp: seconds(summary.startedAt),
    QueuedTimestamp: seconds(summary.queuedAt),
    RingTimestamp: seconds(summary.ringAt),
    AcceptTimestamp: seconds(summary.acceptedAt),
    EndedTimestamp: seconds(summary.endedAt),
    Duration: Math.floor(summary.durationMs / 1000),
    IVRDuration: 0,
    QueuedSkillGroupId: queue?.numericId ?? 0,
    QueuedSkillGroupName: queue?.name ?? '',
    SeatUser: seatUserOf(summary.mainAgentId, agents),
    ServeParticipants: participants,
    HungUpSide: summary.hungUpSide === 'visitor' ? 'user' : summary.hungUpSide === 'agent' ? 'seat' : 'system',
    EndStatus: CALL_END_STATUSES[summary.endStatus] ?? 0,
    EndStatusString: summary.endStatus,
    ...unknownCdrFields(),
    ...(recording ? { RecordId: recording.id, RecordURL: recording.url } : {}),
  };
}
