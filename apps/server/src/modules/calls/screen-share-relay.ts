import type { CallShareEvent, IceCandidate, Jsep, PartyRef, ScreenShareCloseReason } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { StoredCall, CallStore } from './call-store.ts';
import { mediaParticipantId, partiesOf } from './call-view.ts';
import { CallError } from './calls.errors.ts';
import type { RoomRef } from './calls.events.ts';
import { isSameParty as isSame, liveLegOf } from './engine/engine-state.ts';
import type { MediaEvent, MediaServer } from './media/index.ts';
import { forgetCallLegs, partyKey, viaMediaPort as port, type RelayLeg, type SignalSink } from './relay-legs.ts';
import type { ScreenShareStore } from './screen-share-store.ts';

/**
 * The media port's participant id of a party's screen: a publisher of its own in the call's room, so
 * that it is subscribed to, relayed and recorded (its own `.mjr` track) like a camera, and never taken
 * for the party's camera leg (`partyOfMediaId` reads no party in it).
 */
export function screenParticipantId(party: PartyRef): string {
  return `screen:${mediaParticipantId(party)}`;
}

/** The participant id a party's subscriptions to screens use (apart from its camera's, which a republish removes). */
const viewerParticipantId = (party: PartyRef) => `viewer:${mediaParticipantId(party)}`;


/**
 * This node's screen legs: a sharer's publisher leg (video only) and the others' subscriber legs to it,
 * signalled like camera legs but with their own frames (`call.share.*`), so the camera's relay
 * (media-relay.ts) never sees them. The share opens when its publisher's media is up and closes when
 * the sharer stops, its leg or socket goes, it leaves the call, or the call ends; every party hears
 * `call.share` each time, with the call's shares after it.
 */
export function createScreenShareRelay(deps: { media: MediaServer; calls: CallStore; shares: ScreenShareStore; events: Events; clock: Clock; log: Logger }) {
  const { media, calls, shares, events, clock, log } = deps;
  const legs = new Map<string, RelayLeg>();
  /** callId|sharer → its screen publisher leg on this node. */
  const publishers = new Map<string, string>();

  function ownLeg(callId: string, party: PartyRef, legId: string, kind?: RelayLeg['kind']): RelayLeg {
    const leg = legs.get(legId);
    if (!leg || leg.callId !== callId || !isSame(leg.party, party)) throw new CallError('FD_CALL_NOT_PARTICIPANT', `screen leg ${legId} is not yours`);
    if (kind && leg.kind !== kind) throw new CallError('FD_CALL_NOT_PARTICIPANT', `screen leg ${legId} is not a ${kind === 'publisher' ? 'share' : 'subscription'}`);
    return leg;
  }

  /** Tells every party of the call (as read) what happened to its shares, with the shares after it. */
  async function announce(stored: StoredCall, event: CallShareEvent['event'], by: PartyRef, reason: CallShareEvent['reason']): Promise<void> {
    const { appId } = stored;
    const callId = stored.state.id;
    const frame: CallShareEvent = { type: 'call.share', callId, event, by, reason, shares: await shares.open(appId, callId), at: clock.now() };
    for (const to of partiesOf(stored.state)) await events.published('call.signal', { appId, to, frame });
  }

  /**
   * Closes the sharer's share (every share of the call without a sharer), with `call.screen-share-changed`
   * for each in the same transaction (the webhook), then announces each one closed to the parties.
   * `stored` is the call as read (undefined when it is gone: nobody is left to tell).
   */
  async function close(appId: string, callId: string, stored: StoredCall | undefined, sharer: PartyRef | null, reason: ScreenShareCloseReason): Promise<void> {
    const at = clock.now();
    const conversationId = stored?.state.conversationId;
    const closed = await events.transaction(async (ctx) => {
      const rows = await shares.close(appId, callId, sharer, at, reason, ctx.tx);
      for (const share of rows) {
        if (conversationId) await ctx.emit('call.screen-share-changed', { appId, callId, conversationId, event: 'closed', sharer: share.sharer, reason, startedAt: share.since, at });
      }
      return rows;
    });
    if (stored) for (const share of closed) await announce(stored, 'close', share.sharer, reason);
  }

  /** Opens the sharer's share once (a second leg-up of it opens nothing), with `call.screen-share-changed` in its transaction, and announces it. */
  async function open(appId: string, callId: string, sharer: PartyRef): Promise<void> {
    const at = clock.now();
    const stored = await calls.find(appId, callId);
    const conversationId = stored?.state.conversationId;
    const isOpened = await events.transaction(async (ctx) => {
      const inserted = await shares.start(appId, callId, sharer, at, ctx.tx);
      if (inserted && conversationId) await ctx.emit('call.screen-share-changed', { appId, callId, conversationId, event: 'opened', sharer, reason: null, startedAt: at, at });
      return inserted;
    });
    if (isOpened && stored) await announce(stored, 'open', sharer, null);
  }

  async function publisherGone(legId: string, reason: ScreenShareCloseReason): Promise<void> {
    const leg = legs.get(legId);
    legs.delete(legId);
    if (!leg || publishers.get(partyKey(leg.callId, leg.party)) !== legId) return;
    publishers.delete(partyKey(leg.callId, leg.party));
    // NOTE: a leg that goes with its call (the room destroyed, the browser's page closing the call) is the call's end, not a loss.
    const stored = await calls.find(leg.appId, leg.callId);
    const sharerLeft = !stored || !liveLegOf(stored.state, leg.party);
    await close(leg.appId, leg.callId, stored, leg.party, stored?.state.phase === 'ended' ? 'ended' : sharerLeft ? 'left' : reason);
  }

  async function onMediaEvent(event: MediaEvent): Promise<void> {
    if (!('legId' in event)) return;
    const leg = legs.get(event.legId);
    if (!leg) return;
    switch (event.type) {
      case 'leg.ice-candidate':
        leg.sink.send({ type: 'call.share.ice', callId: leg.callId, legId: event.legId, candidate: event.candidate });
        return;
      case 'leg.ice-failed':
        leg.sink.send({ type: 'call.share.ice-failed', callId: leg.callId, legId: event.legId });
        return;
      case 'leg.up':
        if (leg.kind === 'publisher' && publishers.get(partyKey(leg.callId, leg.party)) === event.legId) {
          await open(leg.appId, leg.callId, leg.party);
        }
        return;
      case 'leg.down':
        if (leg.kind === 'publisher') await publisherGone(event.legId, 'lost');
        else legs.delete(event.legId);
        return;
      default:
        return;
    }
  }

  const unsubscribe = media.onEvent((event) => void onMediaEvent(event).catch((err) => log.warn({ err, event: event.type }, 'screen share media event failed')));

  return {
    /** Publishes the party's screen on its own leg (a second publish replaces the first). */
    async publish(stored: StoredCall, party: PartyRef, offer: Jsep, sink: SignalSink): Promise<{ legId: string; answer: Jsep }> {
      if (!stored.room) throw new CallError('FD_CALL_NOT_ALLOWED', "the call's media is not ready yet");
      const room = stored.room;
      const participantId = screenParticipantId(party);
      const key = partyKey(stored.state.id, party);
      const previous = publishers.get(key);
      if (previous) {
        publishers.delete(key);
        legs.delete(previous);
      }
      // A screen leg left in the room (another tab, a reload the media server has not noticed yet) goes first.
      await port(() => media.removeParticipant({ room, participantId }));
      // NOTE: a new share, not the old one continued: the others' subscriptions to the old leg ended with it.
      await close(stored.appId, stored.state.id, stored, party, 'stopped');
      const { legId, answer } = await port(() => media.publish({ room, participantId, display: `${party.role} screen`, offer }));
      legs.set(legId, { appId: stored.appId, callId: stored.state.id, party, kind: 'publisher', room, sink });
      publishers.set(key, legId);
      sink.onClose(() => void publisherGone(legId, 'lost').catch((err) => log.warn({ err }, 'screen share loss failed')));
      return { legId, answer };
    },

    /** Ends the party's share (idempotent): its leg leaves the room, the others' subscriptions to it end. */
    async stop(appId: string, callId: string, room: RoomRef | null, party: PartyRef, reason: ScreenShareCloseReason): Promise<void> {
      const key = partyKey(callId, party);
      const legId = publishers.get(key);
      if (legId) {
        publishers.delete(key);
        legs.delete(legId);
      }
      if (room) await media.removeParticipant({ room, participantId: screenParticipantId(party) }).catch((err: unknown) => log.warn({ err, callId }, 'could not remove a screen leg'));
      await close(appId, callId, await calls.find(appId, callId), party, reason);
    },

    /** Every share of the call closes (it ended): the room goes with the call. */
    async callEnded(appId: string, callId: string): Promise<void> {
      forgetCallLegs(legs, publishers, callId);
      await close(appId, callId, await calls.find(appId, callId), null, 'ended');
    },

    async subscribe(stored: StoredCall, party: PartyRef, sharer: PartyRef, sink: SignalSink): Promise<{ legId: string; offer: Jsep }> {
      if (!stored.room) throw new CallError('FD_CALL_NOT_ALLOWED', "the call's media is not ready yet");
      const room = stored.room;
      const { legId, offer } = await port(() => media.subscribe({ room, participantId: viewerParticipantId(party), publisherParticipantId: screenParticipantId(sharer) }));
      legs.set(legId, { appId: stored.appId, callId: stored.state.id, party, kind: 'subscriber', room, sink });
      return { legId, offer };
    },

    async answer(callId: string, party: PartyRef, legId: string, answer: Jsep): Promise<void> {
      const leg = ownLeg(callId, party, legId, 'subscriber');
      await port(() => media.acceptAnswer({ room: leg.room, legId, answer }));
    },

    async renegotiate(callId: string, party: PartyRef, legId: string, offer: Jsep): Promise<{ answer: Jsep }> {
      const leg = ownLeg(callId, party, legId, 'publisher');
      return port(() => media.renegotiatePublisher({ room: leg.room, legId, offer }));
    },

    async restart(callId: string, party: PartyRef, legId: string): Promise<{ offer: Jsep }> {
      const leg = ownLeg(callId, party, legId, 'subscriber');
      return port(() => media.restartSubscriberIce({ room: leg.room, legId }));
    },

    async ice(callId: string, party: PartyRef, legId: string, candidate: IceCandidate | null): Promise<void> {
      const leg = ownLeg(callId, party, legId);
      await port(() => media.addIceCandidate({ room: leg.room, legId, candidate }));
    },

    announce,
    close: unsubscribe,
  };
}

export type ScreenShareRelay = ReturnType<typeof createScreenShareRelay>;
