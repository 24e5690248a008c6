import type { Call, PartyRef } from '@frontdesk/sdk-visitor';

type Participant = Call['participants'][number];

/** A party's key in a call (`role:id`): how its stream and its tile are found. */
export const partyKey = (party: { role: PartyRef['role']; id: string }): string => `${party.role}:${party.id}`;

/** The remote streams by party, one per party: a party's new stream replaces its own, null removes only its own. */
export function withRemoteStream(streams: ReadonlyMap<string, MediaStream>, party: { role: PartyRef['role']; id: string }, stream: MediaStream | null): ReadonlyMap<string, MediaStream> {
  const next = new Map(streams);
  if (stream) next.set(partyKey(party), stream);
  else next.delete(partyKey(party));
  return next;
}

/** The parties the visitor sees and hears, one tile each: answered and not gone, once each, never the visitor itself. */
export function remoteParties(call: Call, visitorId: string | null): Participant[] {
  const inCall = call.participants.filter((p) => (p.leg === 'connecting' || p.leg === 'connected' || p.leg === 'held') && !(p.role === 'visitor' && p.userId === visitorId));
  return inCall.filter((p, i) => inCall.findIndex((q) => q.role === p.role && q.userId === p.userId) === i);
}

/** Whether the visitor is rung into another visitor's call (an agent invited it as a third party). */
export function isInvitedGuest(call: Call, visitorId: string | null): boolean {
  return visitorId !== null && call.visitorId !== visitorId && call.participants.some((p) => p.role === 'visitor' && p.userId === visitorId);
}
