import type { PartyRef, ServerFrame } from '@frontdesk/protocol';
import { CallError } from './calls.errors.ts';
import type { RoomRef } from './calls.events.ts';
import { isMediaError } from './media/index.ts';

/** The socket a leg's signalling goes back to (this node's connection of the party). */
export interface SignalSink {
  send(frame: ServerFrame): void;
  /** Called once when the socket closes. */
  onClose(listener: () => void): void;
}

/** What a relay knows of each leg it signals (camera or screen). */
export interface RelayLeg {
  appId: string;
  callId: string;
  party: PartyRef;
  kind: 'publisher' | 'subscriber';
  room: RoomRef;
  sink: SignalSink;
}

/** The key of a party's publisher leg in a call (`callId|role:id`). */
export const partyKey = (callId: string, party: PartyRef) => `${callId}|${party.role}:${party.id}`;

/** Forgets every leg of the call this node relays, and its publishers. */
export function forgetCallLegs(legs: Map<string, RelayLeg>, publishers: Map<string, string>, callId: string): void {
  for (const [legId, leg] of legs) if (leg.callId === callId) legs.delete(legId);
  for (const key of publishers.keys()) if (key.startsWith(`${callId}|`)) publishers.delete(key);
}

/** Media port failures reach the client as "media unavailable" (chat is unaffected). */
export async function viaMediaPort<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isMediaError(err)) throw new CallError('FD_CALL_MEDIA_UNAVAILABLE', `the media server refused: ${(err as Error).message}`);
    throw err;
  }
}
