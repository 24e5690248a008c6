import { sign } from 'node:crypto';
import { md5Hex } from '../../platform/crypto/index.ts';
import type { AgentStatus, WebhookFormat } from '@frontdesk/protocol';
import type { EventRow } from './webhooks.repository.ts';

/**
 * AnyChat notify callbacks (SPEC M36, seed 003 "通知回调接口"): the pure core of the `anychat`
 * subscription format. Data in, request out, no I/O (the secret is passed in).
 *
 *   POST {callback base}/{method}?timestamp=yyyyMMddHHmmss&appid=…&signtype=MD5&signstr=…
 *   signstr = uppercase hex MD5 of "method&appid&timestamp&secret"
 *
 * NOTE: the seed writes "method&callid&timestamp&密钥" for the notifies after userlogout_notify;
 * none of them has a callid in the URL and the rule ("签名规则") is method&appid&timestamp, so
 * every notify is signed with the appid (the same string the gateway verifies on requests).
 * Kept independent of the compat module (webhooks must not import it): the MD5 line and the UTC+8
 * timestamp format are repeated here (the digest itself is platform/crypto's).
 */

export const ANYCHAT_NOTIFY_METHODS = [
  'userlogin_notify',
  'userlogout_notify',
  'recordsnapshot_notify',
  'transbuffer_notify',
  'agentstatus_notify',
  'transfile_notify',
  'videocall_notify',
  'textmsg_notify',
] as const;
export type AnyChatNotifyMethod = (typeof ANYCHAT_NOTIFY_METHODS)[number];

/** AnyChat agent status flags (seed 5.2): 0 prepare, 1 waiting, 2 working, 3 pause. */
export const ANYCHAT_AGENT_STATUS: Record<AgentStatus, number> = { offline: 0, free: 1, busy: 2, wrap_up: 2, not_ready: 3, rest: 3 };

/** AnyChat video call event types (seed 5.8 BRAC_VIDEOCALL_EVENT_*). */
const VIDEOCALL_EVENT_TYPE: Record<string, number> = { requested: 1, answered: 2, started: 3, ended: 4 };

/** BRAC_RECORD_FLAGS_SNAPSHOT (seed 003, 5.1): a snapshot, not a recording. */
export const ANYCHAT_SNAPSHOT_FLAG = 0x400;

const UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `yyyyMMddHHmmss` in China time (UTC+8), as the seed's timestamps are. */
export function anychatTimestamp(epochMs: number): string {
  const d = new Date(epochMs + UTC_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** MD5("method&appid&timestamp&secret"), 32 uppercase hex digits (the seed's example: 077AB635…). */
export function anychatSignstr(method: string, appId: string, timestamp: string, secret: string): string {
  return md5Hex(`${method}&${appId}&${timestamp}&${secret}`).toUpperCase();
}

/** RSA (PKCS#1 v1.5) signature over the MD5 digest of "method&appid&timestamp", base64 (seed 003 "RSA签名算法"). */
export function anychatRsaSignstr(method: string, appId: string, timestamp: string, privateKeyPem: string): string {
  return sign('md5', Buffer.from(`${method}&${appId}&${timestamp}`, 'utf8'), privateKeyPem).toString('base64');
}

/** The notify URL: the method appended to the base's path, the four parameters in the seed's order. */
export function anychatNotifyUrl(baseUrl: string, method: string, appId: string, timestamp: string, signstr: string, signType: 'MD5' | 'RSA' = 'MD5'): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${method}`;
  const query = new URLSearchParams(url.search);
  query.set('timestamp', timestamp);
  query.set('appid', appId);
  query.set('signtype', signType);
  query.set('signstr', signstr);
  url.search = query.toString();
  return url.toString();
}

export interface AnyChatNotify {
  method: AnyChatNotifyMethod;
  body: Record<string, unknown>;
}

type EventLike = Pick<EventRow, 'type' | 'created_at'> & { data: string | Record<string, unknown> };

/** What a user is to a notify: its name and the address it signed in from (identity, read when sending). */
export interface AnyChatUser {
  name: string;
  loginIp: string | null;
}

/** What a notify needs beyond its event: the users it names, and the conversation's integer room id. */
export interface AnyChatContext {
  users: ReadonlyMap<string, AnyChatUser>;
  /** textmsg_notify `roomid` (seed 003: Integer): one per conversation. */
  roomId?: number | undefined;
}

const NO_CONTEXT: AnyChatContext = { users: new Map() };

function dataOf(event: EventLike): Record<string, unknown> {
  return typeof event.data === 'string' ? record(JSON.parse(event.data)) : event.data;
}

/** The user ids an event's notify names (to look up before building it). */
export function anychatUserIdsOf(event: EventLike): string[] {
  const data = dataOf(event);
  switch (event.type) {
    case 'agent.status_changed':
      return [str(data.agentId)];
    case 'message.created':
      return [str(record(data.message).senderId)].filter(Boolean);
    case 'file.uploaded':
      return [str(record(data.uploadedBy).id)].filter(Boolean);
    case 'transparent.data':
      return [str(data.userId)];
    case 'capture.stored':
      return [str(data.visitorId)].filter(Boolean);
    default:
      return [];
  }
}

/** The conversation whose room id a notify carries (textmsg_notify), if any. */
export function anychatRoomOf(event: EventLike): string | undefined {
  if (event.type !== 'message.created') return undefined;
  return str(record(dataOf(event).message).conversationId) || undefined;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/**
 * The notify an event maps to, or null when it has none (it is then not sent to an anychat
 * subscription). message.created (text, from a visitor, agent or bot) → textmsg_notify;
 * file.uploaded → transfile_notify; agent.status_changed → userlogin_notify (from offline: the
 * agent signed in), userlogout_notify (to offline: signed out), else agentstatus_notify;
 * transparent.data (what a client sent on the transparent channel) → transbuffer_notify.
 * Our ids are strings: they go in the seed's string-id fields (struserid…), the integer ids are left out;
 * `username` is the user's name and `roomid` the conversation's integer room id, from `context`.
 */
export function anychatNotifyOf(appId: string, event: EventLike, context: AnyChatContext = NO_CONTEXT): AnyChatNotify | null {
  const data = dataOf(event);
  const at = typeof data.at === 'number' ? data.at : Number(event.created_at);
  /** A user's name as the seed's `username`; its id when identity no longer knows it. */
  const nameOf = (userId: string) => context.users.get(userId)?.name ?? userId;
  switch (event.type) {
    case 'message.created': {
      const message = record(data.message);
      if (message.kind !== 'text' || message.senderType === 'system') return null;
      const text = str(message.text);
      const sender = str(message.senderId) || str(message.senderType);
      return {
        method: 'textmsg_notify',
        body: {
          appguid: appId,
          // AnyChat rooms are integers: one per conversation (strroomid, an addition, is its id).
          roomid: context.roomId ?? 0,
          strroomid: str(message.conversationId),
          strsrcuserid: sender,
          srcusername: nameOf(sender),
          srcusertype: str(message.senderType),
          // -1: everyone in the room (the seed's convention).
          taruserid: -1,
          tarusername: '',
          secret: 0,
          textmsg: text,
          msglen: Buffer.byteLength(text, 'utf8'),
        },
      };
    }
    case 'file.uploaded': {
      const file = record(data.file);
      const uploader = str(record(data.uploadedBy).id);
      return {
        method: 'transfile_notify',
        body: {
          appguid: appId,
          struserid: uploader,
          username: uploader ? nameOf(uploader) : '',
          fileid: str(file.id),
          filename: str(file.name),
          pathname: str(file.url),
          // Bytes (the seed says "M" but its example, 8497 for a spreadsheet, is bytes).
          filesize: typeof file.sizeBytes === 'number' ? file.sizeBytes : 0,
          strparam: str(data.conversationId),
        },
      };
    }
    case 'agent.status_changed': {
      const agentId = str(data.agentId);
      const from = str(data.from);
      const to = str(data.to);
      const username = nameOf(agentId);
      if (from === 'offline' && to !== 'offline') {
        // userflags: ANYCHAT_OBJECT_FLAGS_AGENT (0x02), these are agents' sign-ins.
        const loginipaddr = context.users.get(agentId)?.loginIp ?? '';
        return { method: 'userlogin_notify', body: { appguid: appId, struserid: agentId, username, loginipaddr, logintime: anychatTimestamp(at), strparam: '', userflags: 0x02 } };
      }
      if (to === 'offline' && from !== 'offline') {
        return { method: 'userlogout_notify', body: { appguid: appId, struserid: agentId, username, errorcode: 0, logouttime: anychatTimestamp(at) } };
      }
      const status = ANYCHAT_AGENT_STATUS[to as AgentStatus];
      if (status === undefined) return null;
      return { method: 'agentstatus_notify', body: { appguid: appId, struserid: agentId, username, agentstatus: status, changetime: anychatTimestamp(at) } };
    }
    case 'call.state_changed': {
      // videocall_notify (seed 003, eventtype 5.8: 1 request, 2 reply, 3 start, 4 finish).
      const eventtype = VIDEOCALL_EVENT_TYPE[str(data.event)];
      if (eventtype === undefined) return null;
      return {
        method: 'videocall_notify',
        body: {
          appguid: appId,
          eventtype,
          callid: str(data.callId),
          strsrcuserid: str(data.fromUserId),
          srcusername: str(data.fromUserName),
          strtaruserid: str(data.toUserId),
          tarusername: str(data.toUserName),
          errorcode: typeof data.errorCode === 'number' ? data.errorCode : 0,
          flags: 0,
          param: 0,
          strparam: str(data.conversationId),
        },
      };
    }
    case 'recording.completed': {
      // recordsnapshot_notify (seed 003): flags are the file's record flags (no SNAPSHOT bit: a recording).
      return {
        method: 'recordsnapshot_notify',
        body: {
          appguid: appId,
          callid: str(data.callId),
          recordid: str(data.recordingId),
          recordfilename: str(data.fileName),
          recordtime: typeof data.durationSeconds === 'number' ? data.durationSeconds : 0,
          flags: typeof data.recordFlags === 'number' ? data.recordFlags : 0,
          recordserverid: '',
          param: 0,
          strparam: '',
          struserid: str(data.userId),
          username: str(data.userName),
          errorcode: typeof data.errorCode === 'number' ? data.errorCode : 0,
        },
      };
    }
    case 'capture.stored': {
      // recordsnapshot_notify (seed 003) for a call snapshot or photo: flags BRAC_RECORD_FLAGS_SNAPSHOT, the
      // record id is the file's (fileinfo_get finds it), the user is the one pictured (the visitor).
      const visitorId = str(data.visitorId);
      return {
        method: 'recordsnapshot_notify',
        body: {
          appguid: appId,
          callid: str(data.callId),
          recordid: str(data.fileId),
          recordfilename: str(data.fileName),
          recordtime: 0,
          flags: ANYCHAT_SNAPSHOT_FLAG,
          recordserverid: '',
          param: 0,
          strparam: str(data.kind),
          struserid: visitorId,
          username: visitorId ? nameOf(visitorId) : '',
          errorcode: 0,
        },
      };
    }
    case 'transparent.data': {
      const userId = str(data.userId);
      const databuf = str(data.data);
      return { method: 'transbuffer_notify', body: { appguid: appId, struserid: userId, username: nameOf(userId), datasize: databuf.length, databuf } };
    }
    default:
      return null;
  }
}

/** The event types that can map to a notify (cheap pre-filter before the data is looked at). */
const ANYCHAT_EVENT_TYPES: ReadonlySet<string> = new Set(['message.created', 'file.uploaded', 'agent.status_changed', 'transparent.data', 'call.state_changed', 'recording.completed', 'capture.stored']);

/** Whether an event is sent to a subscription of this format at all (the type filter aside). */
export function formatWants(format: string, appId: string, event: EventLike): boolean {
  if ((format as WebhookFormat) !== 'anychat') return true;
  return ANYCHAT_EVENT_TYPES.has(event.type) && anychatNotifyOf(appId, event) !== null;
}

export interface AnyChatRequest {
  method: AnyChatNotifyMethod;
  url: string;
  body: string;
}

/** What signs a notify: the app's gateway secret (MD5) or the subscription's private key (RSA). */
export type AnyChatSigner = { signType: 'MD5'; secret: string } | { signType: 'RSA'; privateKeyPem: string };

/** The whole request of one attempt: URL (signed at `nowMs`, the send time) and JSON body. Null when the event has no notify. */
export function anychatRequest({
  baseUrl,
  appId,
  signer,
  nowMs,
  event,
  context = NO_CONTEXT,
}: {
  baseUrl: string;
  appId: string;
  signer: AnyChatSigner;
  nowMs: number;
  event: EventLike;
  context?: AnyChatContext;
}): AnyChatRequest | null {
  const notify = anychatNotifyOf(appId, event, context);
  if (!notify) return null;
  const timestamp = anychatTimestamp(nowMs);
  const signstr =
    signer.signType === 'MD5' ? anychatSignstr(notify.method, appId, timestamp, signer.secret) : anychatRsaSignstr(notify.method, appId, timestamp, signer.privateKeyPem);
  return { method: notify.method, url: anychatNotifyUrl(baseUrl, notify.method, appId, timestamp, signstr, signer.signType), body: JSON.stringify(notify.body) };
}
