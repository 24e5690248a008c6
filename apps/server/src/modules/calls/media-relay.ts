import type { ActiveCallSupervision, IceCandidate, Jsep, PartyRef } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CallShell } from './call-shell.ts';
import type { CallStore, StoredCall } from './call-store.ts';
import { activeOf, inMedia, isCallParty, mayReceive, receiversOf } from './call-supervision-state.ts';
import type { CallSupervisionStore } from './call-supervision-store.ts';
import { mediaParticipantId, partiesOf } from './call-view.ts';
import { CallError } from './calls.errors.ts';
import type { RoomRef } from './calls.events.ts';
import { isSameParty as isSame, liveLegOf } from './engine/engine-state.ts';
import type { CallEvent, CallState, ConsultState } from './engine/types.ts';
import { isMediaError, type MediaEvent, type MediaServer } from './media/index.ts';
import { forgetCallLegs, partyKey, viaMediaPort as port, type RelayLeg, type SignalSink } from './relay-legs.ts';

export type { SignalSink } from './relay-legs.ts';

interface LocalLeg extends RelayLeg {
  /** A subscriber leg's publisher. */
  publisher?: PartyRef;
}

/**
 * This node's relay between browsers and the media server: every leg a browser opens through this
 * node's socket (publish, subscribe, answers, trickled candidates both ways) and what the media server
 * says of them, turned into call events (a publisher up is `media.connected` or `media.restored`; down,
 * or its socket gone, `media.lost`; silence, `media.stopped`). Legs live where their socket is: a
 * party that reconnects to another node publishes and subscribes again there (`call.rejoin`).
 */
export function createMediaRelay(deps: { media: MediaServer; store: CallStore; supervision: CallSupervisionStore; shell: CallShell; events: Events; log: Logger }) {
  const { media, store, shell, events, log } = deps;
  const supervisorsOf = async (stored: StoredCall) => activeOf(stored.state, await deps.supervision.stepsOf(stored.appId, stored.state.id));
  const legs = new Map<string, LocalLeg>();
  /** callId|party → its current publisher leg on this node. */
  const publishers = new Map<string, string>();

  function ownLeg(callId: string, party: PartyRef, legId: string, kind?: LocalLeg['kind']): LocalLeg {
    const leg = legs.get(legId);
    if (!leg || leg.callId !== callId || !isSame(leg.party, party) || (kind && leg.kind !== kind)) throw new CallError('FD_CALL_NOT_PARTICIPANT', `leg ${legId} is not yours`);
    return leg;
  }

  /**
   * A publish or subscribe into the call's room, which may be gone: the media server (and this
   * process's knowledge of its rooms) did not survive a restart of our server. NOTE: nothing else
   * would ever end such a call (no leg of it is known here to be lost), so it ends as a media failure,
   * as when the media server dies under a running server.
   */
  async function inRoom<T>(stored: StoredCall, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!isMediaError(err, 'room-not-found')) throw err;
      log.warn({ callId: stored.state.id, room: stored.room }, "the call's media room is gone: it ends with a media failure");
      await serverLost(stored.appId, stored.state.id);
      throw new CallError('FD_CALL_MEDIA_UNAVAILABLE', "the call's media room is gone (the media server restarted): the call has ended");
    }
  }

  /** The call's room, for a party in its media or a supervisor listening by voice. */
  function roomOf(stored: StoredCall, party: PartyRef, active: readonly ActiveCallSupervision[]): RoomRef {
    if (party.role === 'agent' && !isCallParty(stored.state, party) && inMedia(active, party.id)) {
      if (!stored.room) throw new CallError('FD_CALL_NOT_ALLOWED', "the call's media is not ready yet: wait for mediaReady");
      return stored.room;
    }
    const leg = liveLegOf(stored.state, party);
    if (!leg || !['connecting', 'connected', 'held'].includes(leg.leg)) throw new CallError('FD_CALL_NOT_ALLOWED', 'answer the call before joining its media');
    if (!stored.room) throw new CallError('FD_CALL_NOT_ALLOWED', "the call's media is not ready yet: wait for mediaReady");
    return stored.room;
  }

  /**
   * Tells who may receive this party's media that it is up (subscribe to it), or everyone in the
   * call that it is gone: the parties, and the supervisors listening by voice.
   */
  async function announcePublisher(appId: string, callId: string, publisher: PartyRef, up: boolean): Promise<void> {
    const stored = await store.find(appId, callId);
    if (!stored) return;
    const active = await supervisorsOf(stored);
    const to = up ? receiversOf(stored.state, active, publisher) : [...partiesOf(stored.state), ...active.filter((a) => !a.textOnly).map((a) => ({ role: 'agent' as const, id: a.supervisorId }))];
    for (const party of to) {
      if (!isSame(party, publisher)) await events.published('call.signal', { appId, to: party, frame: { type: 'call.publisher', callId, publisher, up } });
    }
  }

  /** Ends the subscriptions this node relays in the call that forwarding no longer allows: their receiver hears the publisher is gone. */
  async function endDisallowed(callId: string, state: CallState, active: readonly ActiveCallSupervision[]): Promise<void> {
    for (const [legId, leg] of legs) {
      if (leg.callId !== callId || leg.kind !== 'subscriber' || !leg.publisher) continue;
      if (mayReceive(state, active, leg.party, leg.publisher)) continue;
      legs.delete(legId);
      leg.sink.send({ type: 'call.publisher', callId, publisher: leg.publisher, up: false });
      await port(() => media.removeLeg({ room: leg.room, legId })).catch((err: unknown) => log.warn({ err, callId, legId }, 'could not end a subscription'));
    }
  }

  /**
   * Forwarding in the call changed: this node has ended its own disallowed legs; every node (this one
   * included, where it finds nothing left) hears it on the bus and ends those it holds (`recheck`).
   */
  function tellEveryNode(appId: string, callId: string): Promise<void> {
    return events.published('call.forwarding-changed', { appId, callId });
  }

  /** Tells whoever may receive each publisher now, and could not before, that it is up (it subscribes). */
  async function announceNewReceivers(
    appId: string,
    callId: string,
    publishers: Iterable<PartyRef>,
    before: { state: CallState; active: readonly ActiveCallSupervision[] },
    after: { state: CallState; active: readonly ActiveCallSupervision[] },
  ): Promise<void> {
    const keyOf = (p: PartyRef) => `${p.role}:${p.id}`;
    for (const publisher of publishers) {
      const had = new Set(receiversOf(before.state, before.active, publisher).map(keyOf));
      for (const to of receiversOf(after.state, after.active, publisher)) {
        if (!had.has(keyOf(to))) await events.published('call.signal', { appId, to, frame: { type: 'call.publisher', callId, publisher, up: true } });
      }
    }
  }

  function decide(appId: string, callId: string, event: CallEvent): Promise<unknown> {
    return shell.decide(appId, callId, event).catch((err) => log.warn({ err, callId, event: event.type }, 'call media event failed'));
  }

  /** The party's publisher leg on this node is gone (media server or socket): its media is lost, unless a newer leg replaced it. */
  async function publisherGone(legId: string): Promise<void> {
    const leg = legs.get(legId);
    legs.delete(legId);
    if (!leg || publishers.get(partyKey(leg.callId, leg.party)) !== legId) return;
    publishers.delete(partyKey(leg.callId, leg.party));
    await decide(leg.appId, leg.callId, { type: 'media.lost', callId: leg.callId, participant: leg.party });
    await announcePublisher(leg.appId, leg.callId, leg.party, false);
  }

  async function publisherUp(leg: LocalLeg): Promise<void> {
    const stored = await store.find(leg.appId, leg.callId);
    if (!stored) return;
    const state = liveLegOf(stored.state, leg.party);
    // A supervisor is no party of the call: its media up is told to whoever its mode lets receive it.
    if (!state) return announcePublisher(leg.appId, leg.callId, leg.party, true);
    if (state.leg === 'connecting') await decide(leg.appId, leg.callId, { type: 'media.connected', callId: leg.callId, participant: leg.party });
    else if (state.graceUntil !== null) await decide(leg.appId, leg.callId, { type: 'media.restored', callId: leg.callId, participant: leg.party });
    await announcePublisher(leg.appId, leg.callId, leg.party, true);
  }

  async function onMediaEvent(event: MediaEvent): Promise<void> {
    switch (event.type) {
      case 'leg.ice-candidate': {
        const leg = legs.get(event.legId);
        leg?.sink.send({ type: 'call.ice', callId: leg.callId, legId: event.legId, candidate: event.candidate });
        return;
      }
      case 'leg.up': {
        const leg = legs.get(event.legId);
        if (leg?.kind === 'publisher' && publishers.get(partyKey(leg.callId, leg.party)) === event.legId) await publisherUp(leg);
        return;
      }
      case 'leg.down': {
        const leg = legs.get(event.legId);
        if (leg?.kind === 'publisher') await publisherGone(event.legId);
        else legs.delete(event.legId);
        return;
      }
      case 'leg.ice-failed': {
        const leg = legs.get(event.legId);
        leg?.sink.send({ type: 'call.ice-failed', callId: leg.callId, legId: event.legId });
        return;
      }
      case 'leg.media-stopped':
      case 'leg.media-resumed': {
        const leg = legs.get(event.legId);
        if (leg?.kind !== 'publisher') return;
        await decide(leg.appId, leg.callId, event.type === 'leg.media-stopped' ? { type: 'media.stopped', callId: leg.callId, participant: leg.party, silentMs: event.silentMs } : { type: 'media.resumed', callId: leg.callId, participant: leg.party });
        return;
      }
      case 'room.lost':
      case 'instance.down': {
        const lost = event.type === 'room.lost' ? [...new Set([...legs.values()].filter((l) => l.room.roomId === event.room.roomId && l.room.instanceId === event.room.instanceId).map((l) => ({ appId: l.appId, callId: l.callId })))] : await store.liveOnInstance(event.instanceId);
        for (const { appId, callId } of lost) await serverLost(appId, callId);
        return;
      }
      case 'leg.slow-link':
      case 'instance.up':
        return;
    }
  }

  /** The call's media server is gone: the call ends with a media failure, and its legs here are forgotten. */
  async function serverLost(appId: string, callId: string): Promise<void> {
    forgetCall(callId);
    await decide(appId, callId, { type: 'media.server_lost', callIds: [callId] });
  }

  function forgetCall(callId: string): void {
    forgetCallLegs(legs, publishers, callId);
  }

  const unsubscribe = media.onEvent((event) => void onMediaEvent(event).catch((err) => log.warn({ err, event: event.type }, 'media event failed')));

  return {
    /** Publishes (or republishes, replacing the party's earlier media) the party's camera and microphone. */
    async publish(stored: StoredCall, party: PartyRef, offer: Jsep, sink: SignalSink): Promise<{ legId: string; answer: Jsep }> {
      const room = roomOf(stored, party, await supervisorsOf(stored));
      const key = partyKey(stored.state.id, party);
      const previous = publishers.get(key);
      if (previous) {
        // A republish (reload, new devices): the old legs go, and the others resubscribe on `call.publisher`.
        publishers.delete(key);
        for (const [legId, leg] of legs) if (leg.callId === stored.state.id && isSame(leg.party, party)) legs.delete(legId);
        await port(() => media.removeParticipant({ room, participantId: mediaParticipantId(party) }));
      }
      const request = { room, participantId: mediaParticipantId(party), display: party.role, offer };
      // Its earlier publisher may still be in the room (a reload before the media server noticed): it goes.
      const { legId, answer } = await port(() =>
        inRoom(stored, () =>
          media.publish(request).catch(async (err: unknown) => {
            if (!isMediaError(err, 'already-publishing')) throw err;
            await media.removeParticipant({ room, participantId: request.participantId });
            return media.publish(request);
          }),
        ),
      );
      legs.set(legId, { appId: stored.appId, callId: stored.state.id, party, kind: 'publisher', room, sink });
      publishers.set(key, legId);
      sink.onClose(() => void publisherGone(legId).catch((err) => log.warn({ err }, 'publisher loss failed')));
      return { legId, answer };
    },

    async renegotiate(callId: string, party: PartyRef, legId: string, offer: Jsep): Promise<{ answer: Jsep }> {
      const leg = ownLeg(callId, party, legId, 'publisher');
      return port(() => media.renegotiatePublisher({ room: leg.room, legId, offer }));
    },

    async subscribe(stored: StoredCall, party: PartyRef, publisher: PartyRef, sink: SignalSink): Promise<{ legId: string; offer: Jsep }> {
      const active = await supervisorsOf(stored);
      const room = roomOf(stored, party, active);
      const isSupervisor = publisher.role === 'agent' && inMedia(active, publisher.id) !== undefined;
      if (isSame(party, publisher) || !(isCallParty(stored.state, publisher) || isSupervisor)) {
        throw new CallError('FD_CALL_NOT_PARTICIPANT', 'subscribe to another party of the call');
      }
      // NOTE: the server decides who receives whom (a supervisor's mode): a client cannot ask for more.
      if (!mayReceive(stored.state, active, party, publisher)) throw new CallError('FD_CALL_NOT_ALLOWED', "this party's media is not for you");
      const { legId, offer } = await port(() => inRoom(stored, () => media.subscribe({ room, participantId: mediaParticipantId(party), publisherParticipantId: mediaParticipantId(publisher) })));
      legs.set(legId, { appId: stored.appId, callId: stored.state.id, party, kind: 'subscriber', room, sink, publisher });
      return { legId, offer };
    },

    async answer(callId: string, party: PartyRef, legId: string, answer: Jsep): Promise<void> {
      const leg = ownLeg(callId, party, legId, 'subscriber');
      await port(() => media.acceptAnswer({ room: leg.room, legId, answer }));
    },

    async restart(callId: string, party: PartyRef, legId: string): Promise<{ offer: Jsep }> {
      const leg = ownLeg(callId, party, legId, 'subscriber');
      return port(() => media.restartSubscriberIce({ room: leg.room, legId }));
    },

    async ice(callId: string, party: PartyRef, legId: string, candidate: IceCandidate | null): Promise<void> {
      const leg = ownLeg(callId, party, legId);
      await port(() => media.addIceCandidate({ room: leg.room, legId, candidate }));
    },

    /**
     * A supervisor entered a mode, switched, stopped or took the call over: the subscriptions this
     * node relays that are no longer allowed end at the media server (their receiver is told the
     * publisher is gone), and those who may now receive a supervisor are told it is up. The
     * supervisor's own legs stay as they are. Legs live on the node of their socket: the other nodes
     * end theirs when they hear `call.forwarding-changed` (`recheck`).
     */
    async applySupervision(stored: StoredCall, before: readonly ActiveCallSupervision[], after: readonly ActiveCallSupervision[], supervisorId: string, beforeState: CallState = stored.state): Promise<void> {
      const { appId } = stored;
      const callId = stored.state.id;
      await endDisallowed(callId, stored.state, after);
      await tellEveryNode(appId, callId);
      // A supervisor no longer in the media (stopped, or text-only now) leaves the room: its microphone too.
      const supervisor = { role: 'agent' as const, id: supervisorId };
      if (stored.room && !inMedia(after, supervisorId) && !isCallParty(stored.state, supervisor)) {
        await port(() => media.removeParticipant({ room: stored.room!, participantId: mediaParticipantId(supervisor) })).catch((err: unknown) => log.warn({ err, callId }, "could not take a supervisor's media out"));
      }
      const speakers = new Set([supervisorId, ...after.filter((a) => !a.textOnly).map((a) => a.supervisorId)]);
      const publishers = [...speakers].map((id) => ({ role: 'agent' as const, id }));
      await announceNewReceivers(appId, callId, publishers, { state: beforeState, active: before }, { state: stored.state, active: after });
    },

    /**
     * A consult began, went three-way or ended: as for supervision, the subscriptions this node
     * relays that are no longer allowed end (their receiver is told the publisher is gone), and
     * each party who may now receive another is told it is up (it subscribes again).
     */
    async applyForwarding(appId: string, callId: string, consultBefore: ConsultState | null): Promise<void> {
      const stored = await store.find(appId, callId);
      if (!stored || stored.state.phase === 'ended') return;
      const active = await supervisorsOf(stored);
      await endDisallowed(callId, stored.state, active);
      await tellEveryNode(appId, callId);
      const publishers = stored.state.participants.filter((p) => p.leg === 'connected' || p.leg === 'held').map((p) => ({ role: p.role, id: p.userId }));
      await announceNewReceivers(appId, callId, publishers, { state: { ...stored.state, consult: consultBefore }, active }, { state: stored.state, active });
    },

    /**
     * Forwarding in the call changed on some node (`call.forwarding-changed` on the bus): the
     * subscriber legs this node relays that are no longer allowed end. A node holding none of the
     * call's subscriber legs reads nothing.
     */
    async recheck(appId: string, callId: string): Promise<void> {
      if (![...legs.values()].some((l) => l.callId === callId && l.kind === 'subscriber')) return;
      const stored = await store.find(appId, callId);
      if (!stored || stored.state.phase === 'ended') return;
      await endDisallowed(callId, stored.state, await supervisorsOf(stored));
    },

    serverLost,
    forgetCall,
    close: unsubscribe,
  };
}

export type MediaRelay = ReturnType<typeof createMediaRelay>;
