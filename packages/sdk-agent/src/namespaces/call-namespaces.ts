import type { CaptureStored, ScreenShareState } from '@frontdesk/protocol';
import type { AgentCore } from '../agent-core.ts';
import { fail } from '../results.ts';
import type { CallSupervisionJoin } from '@frontdesk/protocol';
import type { Call, CallNamespace, SdkResult, VideoNamespace } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

const notSupported = <T = undefined>(what: string) => (): Promise<SdkResult<T>> => Promise.resolve(fail('SDK_NOT_SUPPORTED', `${what} is not available`));

/**
 * TCCC `tccc.Call` and `tccc.Video` over the agent's calls (call-actions.ts), run by the tab holding
 * the connection. A call's `sessionId` is its call id; left out, the agent's only live call.
 */
export function createCallNamespaces({ invoke, snapshot }: NamespaceContext, core: AgentCore): { Call: CallNamespace; Video: VideoNamespace } {
  /** The call meant, as this tab knows it (the leader's calls, mirrored in the other tabs). */
  const callOf = (sessionId?: string): Call | undefined => {
    const calls = snapshot().calls;
    return sessionId ? calls.find((c) => c.id === sessionId) : calls.filter((c) => c.phase !== 'ended').length === 1 ? calls.find((c) => c.phase !== 'ended') : undefined;
  };
  const flag = (sessionId: string | undefined, key: 'micMuted' | 'cameraOff'): Promise<SdkResult<boolean>> => {
    const call = callOf(sessionId);
    const me = snapshot().agent?.id;
    const leg = call?.participants.find((p) => p.role === 'agent' && p.userId === me && p.leg !== 'left');
    return Promise.resolve(leg ? { status: 'success', data: leg[key] } : fail('FD_CALL_NOT_FOUND', 'no such call of this agent'));
  };
  const accept = ({ sessionId }: { sessionId: string }) => invoke<Call>('Call.accept', sessionId);
  const hangUp = (options: { sessionId?: string } = {}) => invoke<Call>('Call.hangUp', options.sessionId);
  const mic = (muted: boolean) => (options: { sessionId?: string } = {}) => invoke<undefined>('Call.setMicMuted', muted, options.sessionId);
  const camera = (off: boolean) => (options: { sessionId?: string } = {}) => invoke<undefined>('Call.setCameraOff', off, options.sessionId);
  const hold = (held: boolean) => (options: { sessionId?: string } = {}) => invoke<Call>('Call.hold', held, options.sessionId);
  const transfer = ({ sessionId, skillGroupId, userId }: { sessionId: string; skillGroupId?: string; userId?: string }) => invoke<Call>('Call.transfer', sessionId, { skillGroupId, userId });

  return {
    Call: {
      startOutboundCall: notSupported('calling a phone number'),
      accept,
      hungUp: hangUp,
      deleteCall: ({ sessionId }) => void invoke('Call.delete', sessionId),
      muteMic: mic(true),
      unmuteMic: mic(false),
      isMicMuted: (options = {}) => flag(options.sessionId, 'micMuted'),
      transfer,
      consult: ({ sessionId, userId }) => invoke<Call>('Call.consult', sessionId, userId),
      completeConsult: ({ sessionId }) => invoke<Call>('Call.endConsult', sessionId, 'complete'),
      cancelConsult: ({ sessionId }) => invoke<Call>('Call.endConsult', sessionId, 'cancel'),
      addParticipant: ({ sessionId, userId, visitorId }) =>
        (userId === undefined) === (visitorId === undefined)
          ? Promise.resolve(fail('FD_REQ_INVALID', 'give userId (an agent) or visitorId (a visitor), one of them'))
          : invoke<Call>('Call.addParty', sessionId, userId !== undefined ? { userId } : { visitorId }),
      hold: hold(true),
      unHold: hold(false),
      sendDigits: notSupported('sending digits'),
      inviteCurrentVisitor: ({ sessionId }) => invoke<Call>('Call.invite', sessionId, 'audio'),
      startInternalCall: ({ calleeUserId, type = 'audio', useMobile }) =>
        useMobile ? notSupported<Call>("calling an agent's phone")() : invoke<Call>('Call.startInternal', calleeUserId, type),
      monitor: ({ sessionId, textOnly }) => invoke<CallSupervisionJoin>('Call.supervise', sessionId, 'monitor', textOnly === true),
      supervise: ({ sessionId, mode }) => invoke<CallSupervisionJoin>('Call.supervise', sessionId, mode, false),
      stopSupervising: ({ sessionId }) => invoke<CallSupervisionJoin>('Call.supervise', sessionId, 'stop', false),
      intercept: ({ sessionId }) => invoke<Call>('Call.intercept', sessionId),
      list: () => snapshot().calls,
      get: ({ sessionId }) => callOf(sessionId) ?? null,
      snapshot: (options = {}) => invoke<CaptureStored>('Call.snapshot', options.sessionId),
      takePhoto: (options = {}) => invoke<CaptureStored>('Call.takePhoto', options.sessionId),
      inviteShare: (options = {}) => invoke<undefined>('Call.inviteShare', options.sessionId),
      shareScreen: (options = {}) => invoke<undefined>('Call.shareScreen', options.sessionId),
      stopScreenShare: (options = {}) => invoke<undefined>('Call.stopScreenShare', options.sessionId),
      shareState: (options = {}) => invoke<ScreenShareState>('Call.shareState', options.sessionId),
      getMedia: (options = {}) => {
        const id = options.sessionId ?? callOf()?.id;
        return id ? core.calls.controller.mediaOf(id) : null;
      },
    },
    Video: {
      accept,
      end: hangUp,
      muteMic: mic(true),
      unmuteMic: mic(false),
      muteVideo: camera(true),
      unmuteVideo: camera(false),
      transfer,
      inviteCurrentVisitor: ({ sessionId }) => invoke<Call>('Call.invite', sessionId, 'video'),
    },
  };
}
