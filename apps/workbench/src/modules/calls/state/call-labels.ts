import type { Call } from '@frontdesk/sdk-agent';
import { visitorLabel } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import type { CallStrings } from '../locales/index.ts';
import type { InviteOutcome } from './call-parties.ts';

/** Why a call ended, in the agent's words (`agentId`: the signed-in agent; in an internal call, the caller or the callee). */
export function endReasonText(call: Call, agentId: string | null, s: CallStrings): string {
  const byMe = call.mainAgentId === agentId;
  switch (call.endReason) {
    case 'callee_refused':
      return byMe ? s.reasonColleagueDeclined : s.reasonYouDeclined;
    case 'callee_busy':
      return byMe ? s.reasonColleagueBusy : s.reasonYouDeclined;
    case 'callee_timeout':
      return byMe ? s.reasonColleagueNoAnswer : s.reasonYouMissed;
    case 'callee_hung_up':
      return byMe ? s.reasonColleagueHungUp : s.reasonYouHungUp;
    case 'callee_error':
      return s.reasonMediaFailure;
    case 'visitor_refused':
      return s.reasonVisitorRefused;
    case 'visitor_busy':
      return s.reasonVisitorBusy;
    case 'visitor_timeout':
      return s.reasonVisitorTimeout;
    case 'visitor_error':
      return s.reasonVisitorError;
    case 'visitor_hung_up':
      return s.reasonVisitorHungUp;
    case 'cancelled':
      return s.reasonCancelled;
    case 'agent_hung_up_before_answer':
      return byMe ? s.reasonYouCancelled : s.reasonAgentHungUp;
    case 'agent_hung_up':
      return byMe ? s.reasonYouHungUp : call.direction === 'internal' ? s.reasonColleagueHungUp : s.reasonAgentHungUp;
    case 'peer_lost':
      return s.reasonPeerLost;
    case 'released_by_routing':
      return s.reasonReleased;
    case 'media_failure':
    case null:
      return s.reasonMediaFailure;
  }
}

/** A failed call action (accept, call out, mute…) in the agent's words: SDK media codes and the server's call codes. */
export function callErrorText(code: string, message: string, s: CallStrings): string {
  switch (code) {
    case 'FD_SDK_MEDIA_PERMISSION_DENIED':
      return s.errPermission;
    case 'FD_SDK_MEDIA_NO_MICROPHONE':
      return s.errNoMicrophone;
    case 'FD_SDK_MEDIA_NO_CAMERA':
      return s.errNoCamera;
    case 'FD_SDK_MEDIA_DEVICE_BUSY':
      return s.errDeviceBusy;
    case 'FD_SDK_MEDIA_UNSUPPORTED':
      return s.errUnsupported;
    case 'FD_SDK_MEDIA_FAILED':
      return s.errFailed;
    case 'FD_CALL_MEDIA_UNAVAILABLE':
      return s.errUnavailable;
    case 'FD_CALL_VISITOR_IN_CALL':
    case 'FD_CALL_CONVERSATION_IN_CALL':
      return s.errVisitorInCall;
    case 'FD_CALL_AGENT_AT_CAPACITY':
      return s.errAtCapacity;
    case 'FD_CALL_AGENT_BUSY':
      return s.errColleagueBusy;
    case 'FD_CALL_AGENT_OFFLINE':
      return s.errColleagueOffline;
    case 'FD_AGENT_NOT_FOUND':
      return s.errColleagueNotFound;
    case 'FD_CALL_INVITE_PENDING':
      return s.errInvitePending;
    case 'FD_CALL_PARTICIPANT_LIMIT':
      return s.errPartyLimit;
    case 'FD_CALL_ALREADY_PARTICIPANT':
      return s.errAlreadyInCall;
    case 'FD_VISITOR_NOT_FOUND':
      return s.errVisitorNotFound;
    case 'FD_CALL_NOT_ALLOWED':
      return s.errNotAllowed;
    case 'FD_CALL_ENDED':
    case 'FD_CALL_NOT_FOUND':
      return s.errEnded;
    case 'snapShotDisabled':
      return s.photoDisabled;
    default:
      return format(s.errGeneric, { message });
  }
}

/** How an invite turned out, naming the invitee ("Ana declined"). */
export function inviteOutcomeText(outcome: Exclude<InviteOutcome, 'ringing'>, name: string, s: CallStrings): string {
  const words = { joined: s.inviteJoined, declined: s.inviteDeclined, busy: s.inviteBusy, no_answer: s.inviteNoAnswer, failed: s.inviteFailed }[outcome];
  return format(words, { name });
}

export const PHASE_KEYS = {
  requested: 'phaseRequested',
  queued: 'phaseQueued',
  ringing: 'phaseRinging',
  connecting: 'phaseConnecting',
  active: 'phaseActive',
  held: 'phaseHeld',
  ended: 'phaseEnded',
} as const satisfies Record<Call['phase'], keyof CallStrings>;

/** The other party of a call for this agent: the visitor, or in an internal call the other agent. */
export function peerOf(call: Call, agentId: string | null): Call['participants'][number] | undefined {
  if (call.direction !== 'internal') return call.participants.find((p) => p.role === 'visitor');
  return [...call.participants].reverse().find((p) => p.role === 'agent' && p.userId !== agentId);
}

/** Who the agent is in a call with, as the call screens name them: the visitor, or the colleague of an internal call. */
export function peerName(call: Call, agentId: string | null, nickname: string | null): string {
  if (call.direction === 'internal') return nickname ?? peerOf(call, agentId)?.userId ?? '';
  return visitorLabel(call.visitorId ?? '', nickname);
}
