import type { Call, PartyRef } from './calls.ts';

/**
 * The parties of a call as a client shows them (no zod: the widget and the workbench import it at
 * run time): one tile and one stream per party.
 */

type Participant = Call['participants'][number];

/** A party's key in a call (`role:id`): how its stream and its tile are found. */
export const partyKey = (party: PartyRef): string => `${party.role}:${party.id}`;

/** The remote streams by party, one per party: a party's new stream replaces its own, null removes only its own. */
export function withRemoteStream<S>(streams: ReadonlyMap<string, S>, party: PartyRef, stream: S | null): ReadonlyMap<string, S> {
  const next = new Map(streams);
  if (stream) next.set(partyKey(party), stream);
  else next.delete(partyKey(party));
  return next;
}

/** The parties `self` sees and hears in a call, one tile each: answered and not gone, never `self`. */
export function remoteParties(call: Call, self: PartyRef | null): Participant[] {
  const inCall = call.participants.filter((p) => (p.leg === 'connecting' || p.leg === 'connected' || p.leg === 'held') && !(self && p.role === self.role && p.userId === self.id));
  // NOTE: one tile per party, its live leg (a party may have left and come back: an older leg is 'left').
  return inCall.filter((p, i) => inCall.findIndex((q) => q.role === p.role && q.userId === p.userId) === i);
}
