import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';

/**
 * Co-browsing (SPEC M32): the conversation's agent (and supervisors) see the visitor's live page,
 * with the visitor's consent. A session is started by the visitor (consent given at once) or
 * proposed by the agent (the visitor accepts or rejects); remote control needs a second consent
 * and is revocable at once; either side ends it.
 *
 *   proposed ─accept→ live ─request→ control-requested ─grant→ control-granted ─revoke→ live
 *      │reject           │                 │deny→ live                                   │
 *      └──────────→ ended ←──────────── end (either side), the conversation closing ────┘
 *
 * The page itself never passes through the server as anything but opaque, size-limited batches
 * the visitor's capture produced (masked on the visitor's side), relayed to the session's viewers.
 */
export const COBROWSE_STATUSES = ['proposed', 'live', 'control-requested', 'control-granted', 'ended'] as const;
export const CobrowseStatus = z.enum(COBROWSE_STATUSES);
export type CobrowseStatus = z.infer<typeof CobrowseStatus>;
/** Consent given and not ended: the capture runs and the viewers see the page. */
export const isCobrowseLive = (status: CobrowseStatus): boolean => status === 'live' || status === 'control-requested' || status === 'control-granted';

export const COBROWSE_END_REASONS = ['rejected', 'visitor', 'agent', 'conversation-closed'] as const;
export const CobrowseEndReason = z.enum(COBROWSE_END_REASONS);
export type CobrowseEndReason = z.infer<typeof CobrowseEndReason>;

export const CobrowseSession = z.object({
  id: Id,
  conversationId: Id,
  visitorId: Id,
  status: CobrowseStatus,
  /** Who started it: the visitor (consent given) or an agent's proposal. */
  startedBy: z.enum(['visitor', 'agent']),
  /** The agent who proposed it or asked for control last (null when the visitor started it and nobody asked). */
  agentId: Id.nullable(),
  /** The agent in control while `control-granted`, or asking for it while `control-requested`. */
  controllerId: Id.nullable(),
  /** Agent ids (the conversation's agent, supervisors) watching the mirror now. */
  viewers: z.array(Id),
  createdAt: TimestampMs,
  liveAt: TimestampMs.nullable(),
  endedAt: TimestampMs.nullable(),
  endReason: CobrowseEndReason.nullable(),
});
export type CobrowseSession = z.infer<typeof CobrowseSession>;

export const COBROWSE_STEP_KINDS = [
  'proposed',
  'started',
  'rejected',
  'control-requested',
  'control-granted',
  'control-denied',
  'control-revoked',
  'viewer-joined',
  'viewer-left',
  'ended',
] as const;
export const CobrowseStepKind = z.enum(COBROWSE_STEP_KINDS);
export type CobrowseStepKind = z.infer<typeof CobrowseStepKind>;

/** One step of a session's history (who did what, when): the CDR's co-browse spans come from these. */
export const CobrowseStep = z.object({
  sessionId: Id,
  seq: z.number().int().positive(),
  kind: CobrowseStepKind,
  actorRole: z.enum(['visitor', 'agent', 'system']),
  actorId: Id.nullable(),
  at: TimestampMs,
});
export type CobrowseStep = z.infer<typeof CobrowseStep>;

export const CobrowseSessionList = z.object({ sessions: z.array(CobrowseSession) });

/** A short code the agent reads out, for the browser extension (single use, 10 minutes). */
export const CobrowseCode = z.object({ code: z.string(), expiresAt: TimestampMs });
export const CobrowseJoinBody = z.object({ appId: Id, code: z.string().trim().min(4).max(20) });
/** What the extension gets for a valid code: a session of the conversation's visitor. */
export const CobrowseJoined = z.object({ token: z.string(), conversationId: Id, visitorId: Id });

// ── Channel settings ──────────────────────────────────────────────────────────────────────
const Selector = z.string().trim().min(1).max(300);
const SelectorList = z.array(Selector).max(50);
/** Path prefixes where the co-browse pauses (`*` matches anything). */
const PausedPages = z.array(z.string().trim().min(1).max(300).regex(/^\//, { message: 'a page is a path starting with /' })).max(50);
/**
 * A channel's co-browse settings (applied in the visitor's page, before anything is captured):
 * CSS selectors masked, blocked or opted in (besides the `data-frontdesk-*` attributes), and pages
 * where the co-browse pauses by itself (path prefixes; `*` matches anything).
 */
export const ChannelCobrowse = z.object({
  /** The widget offers "show my screen" and agents may propose a co-browse. */
  enabled: z.boolean().default(true),
  maskSelectors: SelectorList.default([]),
  blockSelectors: SelectorList.default([]),
  unmaskSelectors: SelectorList.default([]),
  pausedPages: PausedPages.default([]),
});
export type ChannelCobrowse = z.infer<typeof ChannelCobrowse>;
export const ChannelCobrowsePatch = z.object({ enabled: z.boolean(), maskSelectors: SelectorList, blockSelectors: SelectorList, unmaskSelectors: SelectorList, pausedPages: PausedPages }).partial();

// ── Wire data ─────────────────────────────────────────────────────────────────────────────
/** Characters of one data frame's payload: with the envelope, well under the gateway's 64 KiB frame cap. */
export const MAX_COBROWSE_PAYLOAD_CHARS = 48_000;
/** Parts of one snapshot at most (48 KB each: a 6 MB serialised page, compressed, is far beyond any real one). */
export const MAX_COBROWSE_PARTS = 128;

/**
 * One batch of the visitor's capture, opaque to the server. `epoch` counts the capture's fresh
 * snapshots; `seq` orders batches within an epoch (from 0, the snapshot's first part). A viewer
 * applies a batch only in order within the epoch of a snapshot it has; a gap asks for a fresh one.
 * `encoding`: `json` (the batch's JSON) or `deflate` (base64 of its raw-deflated UTF-8 JSON).
 */
export const CobrowseData = z.object({
  sessionId: Id,
  epoch: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  kind: z.enum(['snapshot', 'delta']),
  /** A snapshot larger than one frame comes in parts, seq after seq. */
  part: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive().max(MAX_COBROWSE_PARTS) }).optional(),
  encoding: z.enum(['json', 'deflate']),
  payload: z.string().max(MAX_COBROWSE_PAYLOAD_CHARS),
});
export type CobrowseData = z.infer<typeof CobrowseData>;

const Coordinate = z.number().finite().min(-1e6).max(1e6);
const NodeId = z.number().int().nonnegative();
const AnnotationId = z.string().min(1).max(64);

/**
 * What a viewer sends to the visitor's page: annotations (any viewer; visible on both sides,
 * fading) and, only from the agent in control while `control-granted`, remote control. Points are
 * page coordinates (CSS px of the visitor's document); nodes are the capture's node ids.
 */
export const CobrowseInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pen'), id: AnnotationId, points: z.array(z.tuple([Coordinate, Coordinate])).min(1).max(200) }),
  z.object({ kind: z.literal('highlight'), id: AnnotationId, rect: z.object({ x: Coordinate, y: Coordinate, width: Coordinate, height: Coordinate }) }),
  z.object({ kind: z.literal('click'), nodeId: NodeId }),
  z.object({ kind: z.literal('scroll'), nodeId: NodeId.nullable(), x: Coordinate, y: Coordinate }),
  z.object({ kind: z.literal('type'), nodeId: NodeId, value: z.string().max(2000) }),
]);
export type CobrowseInput = z.infer<typeof CobrowseInput>;
export const COBROWSE_CONTROL_KINDS = ['click', 'scroll', 'type'] as const;

// ── WebSocket frames ──────────────────────────────────────────────────────────────────────
const RequestId = z.string().min(1).max(64);

/** Visitor: start a co-browse now (consent given). Agent holding the conversation: propose one. Answered with the session. */
export const CobrowseStartFrame = z.object({ type: z.literal('cobrowse.start'), id: RequestId, conversationId: Id });
/** Visitor: accept or reject an agent's proposal. */
export const CobrowseConsentFrame = z.object({ type: z.literal('cobrowse.consent'), id: RequestId, sessionId: Id, accept: z.boolean() });
/** Agent: `request` control; visitor: `grant` or `deny` it; either: `revoke` it. */
export const CobrowseControlFrame = z.object({ type: z.literal('cobrowse.control'), id: RequestId, sessionId: Id, action: z.enum(['request', 'grant', 'deny', 'revoke']) });
/** Either side ends the session. */
export const CobrowseEndFrame = z.object({ type: z.literal('cobrowse.end'), id: RequestId, sessionId: Id });
/** Agent or supervisor: start (again: a fresh snapshot is asked for) or stop watching the mirror. */
export const CobrowseViewFrame = z.object({ type: z.literal('cobrowse.view'), id: RequestId, sessionId: Id, viewing: z.boolean() });
/** The conversation's sessions, oldest first (its visitor, the app's staff): after a page load, a live one resumes. */
export const CobrowseListFrame = z.object({ type: z.literal('cobrowse.list'), id: RequestId, conversationId: Id });
/** Visitor's capture: one batch for the viewers (not answered: a refused batch is dropped; viewers ask again on a gap). */
export const CobrowseDataFrame = CobrowseData.extend({ type: z.literal('cobrowse.data') });
/** Viewer: an annotation or a control action for the visitor's page (not answered). */
export const CobrowseInputFrame = z.object({ type: z.literal('cobrowse.input'), sessionId: Id, input: CobrowseInput });

export const COBROWSE_CLIENT_FRAMES = [CobrowseListFrame, CobrowseStartFrame, CobrowseConsentFrame, CobrowseControlFrame, CobrowseEndFrame, CobrowseViewFrame, CobrowseDataFrame, CobrowseInputFrame] as const;

/** The session as it stands: to its visitor, the conversation's agent and the viewers. */
export const CobrowseEvent = z.object({ type: z.literal('cobrowse'), session: CobrowseSession });
/** To the visitor's page: someone started watching (or lost the thread): send a fresh snapshot. */
export const CobrowseSnapshotRequestEvent = z.object({ type: z.literal('cobrowse.snapshot-request'), sessionId: Id });
/** To the viewers: the capture's batch, as the visitor sent it. */
export const CobrowseDataEvent = CobrowseDataFrame;
/** To the visitor's page and the other viewers: a viewer's annotation, or (visitor only) a control action. */
export const CobrowseInputEvent = z.object({ type: z.literal('cobrowse.input'), sessionId: Id, from: Id, input: CobrowseInput });

export const COBROWSE_SERVER_FRAMES = [CobrowseEvent, CobrowseSnapshotRequestEvent, CobrowseDataEvent, CobrowseInputEvent] as const;
export type CobrowseDataEvent = z.infer<typeof CobrowseDataEvent>;
export type CobrowseInputEvent = z.infer<typeof CobrowseInputEvent>;
