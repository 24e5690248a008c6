import type { ClientFrame, SupervisionMode } from '@frontdesk/protocol';
import type { AgentCore } from './agent-core.ts';
import type { RequestFrame } from './connection.ts';

/** The co-browse commands the leader's socket carries (answered with the co-browse session). */
export type CobrowseRequestFrame = Extract<RequestFrame, { type: 'cobrowse.start' | 'cobrowse.view' | 'cobrowse.control' | 'cobrowse.end' }>;
import { run } from './results.ts';
import type { CallKind, DeviceChoice, SdkResult, SettableStatus } from './types.ts';

/** Operations that need the connection or the shared conversation list: run by the leader tab. */
export type LeaderOp =
  | 'Agent.setStatus'
  | 'Chat.accept'
  | 'Chat.decline'
  | 'Chat.claim'
  | 'Chat.end'
  | 'Chat.transfer'
  | 'Chat.send'
  | 'Chat.sendFile'
  | 'Chat.retry'
  | 'Chat.discard'
  | 'Chat.dismiss'
  | 'Chat.setTyping'
  | 'Chat.markRead'
  | 'Chat.loadHistory'
  | 'Call.accept'
  | 'Call.invite'
  | 'Call.startInternal'
  | 'Call.hangUp'
  | 'Call.hold'
  | 'Call.setMicMuted'
  | 'Call.setCameraOff'
  | 'Call.switchDevices'
  | 'Call.delete'
  | 'Call.snapshot'
  | 'Call.takePhoto'
  | 'Call.supervise'
  | 'Call.intercept'
  | 'Call.inviteShare'
  | 'Call.shareScreen'
  | 'Call.stopScreenShare'
  | 'Call.shareState'
  | 'Call.transfer'
  | 'Call.consult'
  | 'Call.endConsult'
  | 'Call.addParty'
  | 'Cobrowse.request'
  | 'Cobrowse.input';

/** An operation with its arguments as they travel between tabs, and the tab that asked. */
export type LeaderOps = Record<LeaderOp, (args: unknown[], originTab: string) => Promise<SdkResult<unknown>>>;

/** The leader's side of each operation, on its core; the arguments are in the order the namespaces pass them. */
export function createLeaderOps(core: AgentCore): LeaderOps {
  return {
    'Agent.setStatus': ([status, reason]) => run(() => core.status.set(status as SettableStatus, reason as string | undefined)),
    'Chat.accept': ([conversationId], origin) => run(() => core.routing.accept(conversationId as string, origin)),
    'Chat.decline': ([conversationId]) => run(() => core.routing.decline(conversationId as string)),
    'Chat.claim': ([conversationId], origin) => run(() => core.routing.claim(conversationId as string, origin)),
    'Chat.end': ([conversationId]) => run(() => core.routing.end(conversationId as string)),
    'Chat.transfer': ([conversationId, to, note]) => run(() => core.routing.transfer(conversationId as string, to as { skillGroupId?: string; userId?: string }, note as string | undefined)),
    'Chat.send': ([conversationId, text, clientId]) => core.outbox.sendText(conversationId as string, text as string, clientId as string),
    'Chat.sendFile': ([conversationId, file, name, clientId]) => core.outbox.sendFile(conversationId as string, file as Blob, name as string, clientId as string),
    'Chat.retry': ([clientId]) => core.outbox.retry(clientId as string),
    'Chat.discard': ([clientId]) => run(async () => core.outbox.discard(clientId as string)),
    'Chat.dismiss': ([conversationId]) => run(async () => core.routing.dismiss(conversationId as string)),
    'Chat.setTyping': ([conversationId, isTyping]) => run(async () => core.chat.setTyping(conversationId as string, isTyping as boolean)),
    'Chat.markRead': ([conversationId, seq]) => run(() => core.chat.markRead(conversationId as string, seq as number | undefined)),
    'Chat.loadHistory': ([conversationId, limit]) => run(() => core.chat.loadHistory(conversationId as string, limit as number | undefined)),
    'Call.accept': ([callId], origin) => run(() => core.calls.accept(callId as string, origin)),
    'Call.invite': ([conversationId, kind], origin) => run(() => core.calls.invite(conversationId as string, kind as CallKind, origin)),
    'Call.startInternal': ([calleeUserId, kind], origin) => run(() => core.calls.startInternal(calleeUserId as string, kind as CallKind, origin)),
    'Call.hangUp': ([callId]) => run(() => core.calls.hangUp(callId as string | undefined)),
    'Call.hold': ([held, callId]) => run(() => core.calls.hold(held as boolean, callId as string | undefined)),
    'Call.setMicMuted': ([muted, callId]) => run(() => core.calls.setMicMuted(muted as boolean, callId as string | undefined)),
    'Call.setCameraOff': ([off, callId]) => run(() => core.calls.setCameraOff(off as boolean, callId as string | undefined)),
    'Call.switchDevices': ([choice]) => run(() => core.calls.switchDevices(choice as DeviceChoice)),
    'Call.delete': ([callId]) => run(async () => core.calls.forget(callId as string)),
    'Call.snapshot': ([callId]) => run(() => core.calls.snapshot(callId as string | undefined)),
    'Call.takePhoto': ([callId]) => run(() => core.calls.takePhoto(callId as string | undefined)),
    'Call.supervise': ([callId, mode, textOnly]) => run(() => core.calls.controller.supervise(callId as string, mode as SupervisionMode | 'stop', textOnly === true)),
    'Call.intercept': ([callId]) => run(() => core.calls.controller.intercept(callId as string)),
    'Call.inviteShare': ([callId]) => run(() => core.calls.inviteShare(callId as string | undefined)),
    'Call.shareScreen': ([callId]) => run(async () => void (await core.calls.shareScreen(callId as string | undefined))),
    'Call.stopScreenShare': ([callId]) => run(() => core.calls.stopScreenShare(callId as string | undefined)),
    'Call.shareState': ([callId]) => run(() => core.calls.shareState(callId as string | undefined)),
    'Call.consult': ([callId, userId]) => run(() => core.calls.controller.consult(callId as string, userId as string)),
    'Call.endConsult': ([callId, how]) => run(() => core.calls.controller.endConsult(callId as string, how as 'complete' | 'cancel')),
    'Call.addParty': ([callId, invitee]) => run(() => core.calls.controller.addParty(callId as string, invitee as { userId: string } | { visitorId: string })),
    'Call.transfer': ([callId, to]) => run(() => core.calls.controller.transfer(callId as string, to as { skillGroupId?: string; userId?: string })),
    'Cobrowse.request': ([frame]) => run(() => core.connection.request(frame as CobrowseRequestFrame)),
    'Cobrowse.input': ([frame]) => run(async () => core.connection.send(frame as Extract<ClientFrame, { type: 'cobrowse.input' }>)),
  };
}
