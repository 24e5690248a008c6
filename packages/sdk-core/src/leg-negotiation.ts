import type { CallSignalling } from './call-signalling.ts';
import type { PeerLeg } from './peer-leg.ts';

/**
 * The offer/answer exchanges of one leg with the server, each a function of the leg and the call's
 * signalling: publishing (the browser offers), subscribing (the server offers), and their ICE
 * restarts and renegotiations. `CallMedia` and `ScreenShareController` decide when; these say how.
 */

/** Whose legs: a call's camera and microphone (`call.publish`, `call.answer`) or a shared screen (`call.share.publish`, `call.share.answer`). */
export type LegFamily = 'call' | 'call.share';

/** Publishes `local` on a new publisher leg: the browser's offer in `<family>.publish`, the server's answer; false when no longer current. */
export async function publishOn(leg: PeerLeg, local: MediaStream, signalling: CallSignalling, callId: string, family: LegFamily, isCurrent: () => boolean = () => true): Promise<boolean> {
  for (const track of local.getTracks()) leg.pc.addTransceiver(track, { direction: 'sendonly', streams: [local] });
  const offer = await leg.pc.createOffer();
  await leg.pc.setLocalDescription(offer);
  const { legId, answer } = await signalling.request<{ legId: string; answer: RTCSessionDescriptionInit }>({ type: `${family}.publish`, callId, offer: { type: 'offer', sdp: offer.sdp ?? '' } });
  if (!isCurrent()) return false;
  leg.named(legId);
  await leg.setRemote(answer);
  return true;
}

/** Answers the server's offer of a subscriber leg (`<family>.subscribe` gave it) with `<family>.answer`. */
export async function answerSubscription(leg: PeerLeg, offer: RTCSessionDescriptionInit, signalling: CallSignalling, callId: string, family: LegFamily): Promise<void> {
  await leg.setRemote(offer);
  const answer = await leg.pc.createAnswer();
  await leg.pc.setLocalDescription(answer);
  await signalling.request({ type: `${family}.answer`, callId, legId: leg.legId!, answer: { type: 'answer', sdp: answer.sdp ?? '' } });
}

/** A new offer on the publisher leg (`<family>.renegotiate`): an ICE restart, or tracks added. */
export function renegotiatePublisher(leg: PeerLeg, signalling: CallSignalling, callId: string, iceRestart: boolean, family: LegFamily = 'call'): Promise<void> {
  return leg.serially(async () => {
    const offer = await leg.pc.createOffer(iceRestart ? { iceRestart: true } : {});
    await leg.pc.setLocalDescription(offer);
    const { answer } = await signalling.request<{ answer: RTCSessionDescriptionInit }>({ type: `${family}.renegotiate`, callId, legId: leg.legId!, offer: { type: 'offer', sdp: offer.sdp ?? '' } });
    if (!leg.isClosed) await leg.setRemote(answer);
  });
}

/**
 * Sends `track` (a device switch) on the publisher leg: in place of `old` (no renegotiation), or added
 * with a renegotiation when no track of its kind was sent.
 */
export async function sendTrack(publisher: PeerLeg, local: MediaStream, track: MediaStreamTrack, old: MediaStreamTrack | undefined, signalling: CallSignalling, callId: string): Promise<void> {
  const transceiver = publisher.pc.getTransceivers().find((t) => t.sender.track === old || t.receiver.track.kind === track.kind);
  if (transceiver) return transceiver.sender.replaceTrack(track);
  publisher.pc.addTransceiver(track, { direction: 'sendonly', streams: [local] });
  await renegotiatePublisher(publisher, signalling, callId, false);
}

/** ICE restarts of one leg are at least this far apart (the server's `ice-failed`, the browser's `failed` and `online` come together). */
const RESTART_SPACING_MS = 2_000;

/**
 * ICE restart of one leg: a publisher offers anew, a subscriber answers the server's new offer. Skipped
 * (null) for a closed or unnamed leg, or one restarted less than 2 s ago unless `force` (the server's
 * `ice-failed`: its side failed, whatever ours says).
 */
export function restartLeg(leg: PeerLeg, signalling: CallSignalling, callId: string, family: LegFamily, force: boolean): Promise<void> | null {
  const now = Date.now();
  if (leg.isClosed || !leg.legId || (!force && now - leg.lastRestartAtMs < RESTART_SPACING_MS)) return null;
  leg.lastRestartAtMs = now;
  return leg.kind === 'publisher' ? renegotiatePublisher(leg, signalling, callId, true, family) : restartSubscription(leg, signalling, callId, family);
}

/** ICE restart of a subscriber leg: the server's new offer (`<family>.restart`), answered. */
export function restartSubscription(leg: PeerLeg, signalling: CallSignalling, callId: string, family: LegFamily = 'call'): Promise<void> {
  return leg.serially(async () => {
    const { offer } = await signalling.request<{ offer: RTCSessionDescriptionInit }>({ type: `${family}.restart`, callId, legId: leg.legId! });
    if (!leg.isClosed) await answerSubscription(leg, offer, signalling, callId, family);
  });
}
