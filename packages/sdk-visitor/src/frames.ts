import type { Call, CallPhotoRequestEvent, Conversation, HelloReply, Message } from '@frontdesk/protocol';
import type { CobrowseFrame } from './types.ts';
import type { CallSignalFrame, ScreenShareSignalFrame } from '@frontdesk/sdk-core/calls';

/**
 * Cheap shape checks of what the server sends. NOTE: the SDK imports only types from
 * @frontdesk/protocol, so zod stays out of the browser bundle; these checks guard the fields
 * the SDK reads, and a frame that fails them is logged and dropped, never half-applied.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function isMessage(v: unknown): v is Message {
  return isObject(v) && isString(v.id) && isString(v.conversationId) && isCount(v.seq) && isString(v.kind) && isString(v.text) && isString(v.senderType);
}

export function isConversation(v: unknown): v is Conversation {
  return isObject(v) && isString(v.id) && isString(v.status) && isCount(v.lastSeq);
}

export function isHelloReply(v: unknown): v is HelloReply {
  return isObject(v) && isObject(v.principal) && isCount(v.heartbeatIntervalMs) && Array.isArray(v.conversations) && v.conversations.every(isConversation);
}

/** The server frames the visitor SDK acts on; anything else is ignored. */
export type IncomingFrame =
  | { type: 'reply'; id: string; ok: true; data: unknown }
  | { type: 'reply'; id: string; ok: false; error: { code: string; message: string; retryAfterMs?: number } }
  | { type: 'message'; message: Message }
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'typing'; conversationId: string; senderType: Message['senderType']; senderId: string; isTyping: boolean }
  | { type: 'read'; conversationId: string; senderType: Message['senderType']; senderId: string; seq: number }
  | { type: 'queue.position'; conversationId: string; position: number; estimatedWaitSeconds: number | null; text: string }
  | { type: 'transparent'; data: string }
  | { type: 'pong'; serverTime: number }
  /** Sent just before a kick-out close; the close code says the rest. */
  | { type: 'kicked'; reason: string }
  | { type: 'call'; call: Call }
  | CallPhotoRequestEvent
  | CobrowseFrame
  | CallSignalFrame
  | ScreenShareSignalFrame;

/** Parses one text frame; undefined when it is not JSON or not a frame the SDK understands. */
export function parseFrame(raw: unknown): IncomingFrame | undefined {
  if (!isString(raw)) return undefined;
  let f: unknown;
  try {
    f = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(f) || !isString(f.type)) return undefined;
  switch (f.type) {
    case 'reply':
      if (!isString(f.id)) return undefined;
      if (f.ok === true) return f as IncomingFrame;
      return f.ok === false && isObject(f.error) && isString(f.error.code) && isString(f.error.message) ? (f as IncomingFrame) : undefined;
    case 'message':
      return isMessage(f.message) ? (f as IncomingFrame) : undefined;
    case 'conversation':
      return isConversation(f.conversation) ? (f as IncomingFrame) : undefined;
    case 'typing':
      return isString(f.conversationId) && isString(f.senderType) && typeof f.isTyping === 'boolean' ? (f as IncomingFrame) : undefined;
    case 'read':
      return isString(f.conversationId) && isString(f.senderType) && isCount(f.seq) ? (f as IncomingFrame) : undefined;
    case 'queue.position':
      return isString(f.conversationId) && isCount(f.position) && isString(f.text) ? (f as IncomingFrame) : undefined;
    case 'transparent':
      return isString(f.data) ? (f as IncomingFrame) : undefined;
    case 'pong':
    case 'kicked':
      return f as IncomingFrame;
    case 'call':
      return isObject(f.call) && isString(f.call.id) && Array.isArray(f.call.participants) ? (f as IncomingFrame) : undefined;
    case 'cobrowse':
    case 'cobrowse.snapshot-request':
    case 'cobrowse.input':
      return isString(f.sessionId) || isObject(f.session) ? (f as IncomingFrame) : undefined;
    case 'call.ice':
    case 'call.publisher':
    case 'call.ice-failed':
    case 'call.share':
    case 'call.share.ice':
    case 'call.share.ice-failed':
      return isString(f.callId) ? (f as IncomingFrame) : undefined;
    case 'call.photo-request':
      return isString(f.callId) && isString(f.requestId) && isCount(f.expires) && isString(f.signature) ? (f as IncomingFrame) : undefined;
    default:
      return undefined;
  }
}
