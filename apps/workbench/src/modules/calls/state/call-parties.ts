import { remoteParties as sharedRemoteParties } from '@frontdesk/protocol/call-parties';
import type { Call } from '@frontdesk/sdk-agent';

type Participant = Call['participants'][number];

export { partyKey, withRemoteStream } from '@frontdesk/protocol/call-parties';

/** The parties this agent sees and hears in a call, each its own tile (never this agent). */
export const remoteParties = (call: Call, agentId: string | null): Participant[] => sharedRemoteParties(call, agentId === null ? null : { role: 'agent', id: agentId });

/**
 * A third party invited into a visitor call and ringing now (one at a time): an agent who is not the
 * call's, nor its consult; or a visitor who is not the call's own. A transfer's agent rings while no
 * agent holds the call, so it is not one.
 */
export function ringingInvitee(call: Call): Participant | undefined {
  if (call.direction === 'internal' || call.phase !== 'active' || call.mainAgentId === null) return undefined;
  return call.participants.find(
    (p) => p.leg === 'ringing' && (p.role === 'visitor' ? p.userId !== call.visitorId : p.userId !== call.mainAgentId && p.userId !== call.consult?.agentId),
  );
}

/** Whether a call ringing for this agent is an invite into another agent's visitor call (not an offer, transfer or consult). */
export function isInviteFor(call: Call, agentId: string | null): boolean {
  const invitee = ringingInvitee(call);
  return invitee !== undefined && invitee.role === 'agent' && invitee.userId === agentId;
}

/** How an invite this agent sent turned out: still ringing, answered, or why not. */
export type InviteOutcome = 'ringing' | 'joined' | 'declined' | 'busy' | 'no_answer' | 'failed';

/** The outcome of the invite whose leg is `seq` (the reply to the invite names it); undefined when the call has no such leg. */
export function inviteOutcome(call: Call, seq: number): InviteOutcome | undefined {
  const leg = call.participants.find((p) => p.seq === seq);
  if (!leg) return undefined;
  if (leg.leg === 'ringing' || leg.leg === 'invited') return 'ringing';
  if (leg.acceptedAt !== null) return 'joined';
  switch (leg.leftReason) {
    case 'agent_refused':
    case 'visitor_refused':
      return 'declined';
    case 'agent_busy':
    case 'visitor_busy':
      return 'busy';
    case 'ring_timeout':
    case 'visitor_timeout':
      return 'no_answer';
    default:
      // The call ended while it rang, or the invitee's client failed.
      return 'failed';
  }
}

/** The leg an invite added: the invitee's newest leg in the call the invite replied with. */
export function inviteLeg(call: Call, invitee: { userId: string } | { visitorId: string }): Participant | undefined {
  const [role, id] = 'userId' in invitee ? (['agent', invitee.userId] as const) : (['visitor', invitee.visitorId] as const);
  return call.participants.filter((p) => p.role === role && p.userId === id).at(-1);
}
