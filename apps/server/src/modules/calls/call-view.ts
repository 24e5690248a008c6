import type { Call, CallParticipant, PartyRef } from '@frontdesk/protocol';
import type { CallState, Participant } from './engine/types.ts';

export function participantView(p: Participant): CallParticipant {
  return {
    seq: p.seq,
    role: p.role,
    userId: p.userId,
    leg: p.leg,
    micMuted: p.micMuted,
    cameraOff: p.cameraOff,
    ringAt: p.ringAt,
    acceptedAt: p.acceptedAt,
    connectedAt: p.connectedAt,
    leftAt: p.leftAt,
    leftReason: p.leftReason,
    isStreamOffline: p.isStreamOffline,
  };
}

/** A call as clients see it. */
export function callView(appId: string, call: CallState, mediaReady: boolean): Call {
  return {
    id: call.id,
    appId,
    conversationId: call.conversationId,
    kind: call.kind,
    direction: call.direction,
    phase: call.phase,
    visitorId: call.visitorId,
    mainAgentId: call.mainAgentId,
    mediaReady: mediaReady && call.phase !== 'ended',
    participants: call.participants.map(participantView),
    createdAt: call.createdAt,
    ringAt: call.ringAt,
    acceptedAt: call.acceptedAt,
    connectedAt: call.connectedAt,
    endedAt: call.endedAt,
    endReason: call.endReason,
    hungUpSide: call.hungUpSide,
    consult: call.consult ? { agentId: call.consult.agentId, phase: call.consult.phase } : null,
  };
}

/** Everyone a call concerns: each party with a leg, gone or not (they hear of the end too). */
export function partiesOf(call: CallState): PartyRef[] {
  const seen = new Map<string, PartyRef>();
  for (const p of call.participants) seen.set(`${p.role}:${p.userId}`, { role: p.role, id: p.userId });
  return [...seen.values()];
}

/** The media port's participant id of a party (unique in a call). */
export function mediaParticipantId(party: PartyRef): string {
  return `${party.role}:${party.id}`;
}

export function partyOfMediaId(participantId: string): PartyRef | undefined {
  const [role, ...rest] = participantId.split(':');
  return (role === 'visitor' || role === 'agent') && rest.length > 0 ? { role, id: rest.join(':') } : undefined;
}
