import type { Events } from '../../events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RoutingService } from '../routing/index.ts';
import type { CallShell } from './call-shell.ts';
import type { CallStore } from './call-store.ts';
import { callView, mediaParticipantId } from './call-view.ts';
import { internalCalleeSession } from './internal-call-session.ts';
import type { CallEvents, RoomRef } from './calls.events.ts';
import type { CallAction } from './engine/types.ts';
import type { MediaServer } from './media/index.ts';
import type { MediaRelay } from './media-relay.ts';

/**
 * Who decides whether a call is recorded (the recordings module, passed in by app.ts): the directory
 * the media server records the call's room into, or null.
 */
export interface CallRecorder {
  prepareRoom(appId: string, call: { id: string; conversationId: string; kind: 'audio' | 'video'; queueId: string | null }): Promise<{ recordingDir: string } | null>;
}

/**
 * What the call engine asks of others, done after the decision committed, on the node that made
 * it: routing looks for an agent (or stops looking, or frees the agent's call place when the call
 * ends); the media server opens the room (then the parties may publish), takes a party out, holds
 * or mutes at the server, closes the room. A room that cannot be opened ends the call with a media
 * failure; the engine's timers are armed for the deadline it saved.
 */
export function createCallEffects(deps: {
  media: MediaServer;
  recorder?: CallRecorder | undefined;
  store: CallStore;
  shell: CallShell;
  relay: MediaRelay;
  routing: Pick<RoutingService, 'arriveCall' | 'endIfLive' | 'transferCall'>;
  events: Events;
  log: Logger;
}) {
  const { media, store, shell, relay, routing, events, log } = deps;

  async function carryOut({ appId, call, actions, room, nextDeadlineAt }: CallEvents['call.decided']): Promise<void> {
    if (nextDeadlineAt !== null) shell.arm(nextDeadlineAt);
    let current: RoomRef | null = room;
    const callId = call.id;
    async function carryOutOne(action: CallAction): Promise<'stop' | void> {
      switch (action.type) {
        case 'request_routing':
          try {
            await routing.arriveCall(appId, callId, { queueId: action.queueId ?? null, preferredAgentId: action.preferredAgentId });
          } catch (err) {
            log.warn({ err, callId }, 'routing refused a call; released');
            await shell.decide(appId, callId, { type: 'routing.released', callId, reason: 'no_agent' });
          }
          break;
        case 'transfer_routing':
          try {
            await routing.transferCall(appId, callId, { queueId: action.queueId });
          } catch (err) {
            // NOTE: the visitor must not wait in a queue routing never heard of: the call ends as unplaced.
            log.warn({ err, callId }, 'routing refused a call transfer; released');
            await shell.decide(appId, callId, { type: 'routing.released', callId, reason: 'no_agent' });
          }
          break;
        case 'cancel_routing':
          await routing.endIfLive(appId, callId, 'client');
          break;
        case 'call.ended':
          // Routing held the answering agent's call place (and starts its wrap-up); an internal call, its callee's too.
          await routing.endIfLive(appId, callId, action.summary.closeBy);
          if (action.summary.direction === 'internal') await routing.endIfLive(appId, internalCalleeSession(callId), action.summary.closeBy);
          break;
        case 'media.create_room':
          try {
            // NOTE: a recorder that fails must not cost the call: it goes on unrecorded (logged).
            // An internal call (no conversation) is not recorded: recording is a channel's policy.
            const conversationId = call.conversationId;
            const recording = await (conversationId !== null && deps.recorder ? deps.recorder.prepareRoom(appId, { ...call, conversationId }) : Promise.resolve(null)).catch((err: unknown) => {
              log.error({ err, callId }, 'could not prepare the recording of a call: it is not recorded');
              return null;
            });
            current = await media.createRoom({ callId, ...(recording ? { record: true, recordingDir: recording.recordingDir } : {}) });
            await store.setRoom(appId, callId, current);
            const stored = await store.find(appId, callId);
            if (stored) await events.published('call.media-ready', { appId, call: callView(appId, stored.state, true) });
          } catch (err) {
            log.warn({ err, callId }, 'no media room for a call: it ends with a media failure');
            await relay.serverLost(appId, callId);
            return 'stop';
          }
          break;
        case 'media.remove_participant':
          if (current) await media.removeParticipant({ room: current, participantId: mediaParticipantId(action.participant) });
          break;
        case 'media.set_forwarding':
          // Hold: the held party is neither heard nor seen, and hears and sees nobody (two parties: both stop).
          if (current) {
            for (const p of call.participants.filter((leg) => leg.leg !== 'left')) {
              await media.setRelay({ room: current, participantId: mediaParticipantId({ role: p.role, id: p.userId }), audio: action.enabled, video: action.enabled });
            }
          }
          break;
        case 'media.forwarding_changed':
          await relay.applyForwarding(appId, callId, action.consultBefore);
          break;
        case 'media.set_tracks':
          if (current) await media.setRelay({ room: current, participantId: mediaParticipantId(action.participant), audio: action.audio, video: action.video });
          break;
        case 'media.close_room':
          relay.forgetCall(callId);
          if (current) await media.destroyRoom(current);
          break;
        default:
          break;
      }
    }

    for (const action of actions) {
      // NOTE: each action on its own: a media server that fails one (closing the room) must not keep
      // routing from freeing the agent's call place (`call.ended`), nor the others from running.
      try {
        if ((await carryOutOne(action)) === 'stop') return;
      } catch (err) {
        log.warn({ err, callId, action: action.type }, 'a call effect failed; the others go on');
      }
    }
  }

  return {
    /** After-commit listener of `call.decided`. */
    onDecided: (event: CallEvents['call.decided']) => carryOut(event).catch((err) => log.error({ err, callId: event.call.id }, 'call effects failed')),
  };
}
