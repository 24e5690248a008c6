import { z } from 'zod';
import { Id, TimestampMs } from './model.ts';
import { SupervisionMode } from './supervision.ts';

/**
 * Reports (SPEC M41) and the TCCC-compatible data push (SPEC M37). A CDR follows the fields and
 * types of seed 004 "电话 CDR 数据推送" (action=cdr, version=1), timestamps in UNIX seconds as TCCC.
 * Frontdesk choices where TCCC has no value for chat (docs/compat.md has them all):
 * - `SdkAppId` is the app's numeric id (`App.numericId`); `QueuedSkillGroupId` / `SkillGroupId` are
 *   queues' numeric ids, 0 for none (a conversation claimed by hand); `Mail` is the agent's email.
 * - `CallType` is 2 (TCCC: 电话呼入, inbound) for a chat a visitor started: the seed's values are
 *   1 out, 2 in, 3 audio in, 5 predictive, 6 internal; `MediaType: "chat"` (ours) says it is a chat.
 * - Fields with nothing to say for chat are present and empty: `CallerLocation`, `RecordId`,
 *   `UserRemark`, `Uui` (""), `IVRKeyPressed`, `IVRKeyPressedEx`, `PostIVRKeyPressed` ([]),
 *   `TelLocation` (its five fields ""). `StartTimeStamp` repeats `StartTimestamp` (the seed's sample spells it so).
 * - `HungUpSide`: "user" (the visitor closed), "seat" (the agent holding it), "system" (a
 *   supervisor/admin or a timer; ours).
 * - `EndStatus`/`EndStatusString`: see CDR_END_STATUSES; `TransferNote`, `MediaType`: ours.
 */

/** TCCC end statuses used for chat, plus 300 overflowReleased (a Frontdesk extension). */
export const CDR_END_STATUSES = {
  ok: 1,
  /** bot only: never queued for a human (TCCC's IVR end) */
  ivrEnd: 107,
  /** the visitor left while queued */
  waitingGiveUp: 103,
  /** the visitor left while an offer rang */
  ringingGiveUp: 104,
  /** queue overflow released the conversation (Frontdesk extension) */
  overflowReleased: 300,
} as const;
export type CdrEndStatusString = keyof typeof CDR_END_STATUSES;
/** Seed 004 CallType 2 (电话呼入, inbound): what a chat a visitor starts is reported as. */
export const CDR_CALL_TYPE_CHAT = 2;
/**
 * Call types of audio/video calls (seed 004 `CallType`: 1 电话呼出 outbound, 3 音频呼入 inbound;
 * `MediaType` says audio or video, which the seed's list does not).
 */
export const CDR_CALL_TYPE_OUTBOUND = 1;
export const CDR_CALL_TYPE_INBOUND = 3;
/** Seed 004 CallType 6 (成员内线呼叫): an internal call, one agent calling another (Direction 1, from the caller's side). */
export const CDR_CALL_TYPE_INTERNAL = 6;

const Seconds = z.number().int().nonnegative();

export const CdrParticipant = z.object({
  /** The agent's email (TCCC: 坐席邮箱). */
  Mail: z.string(),
  Phone: z.string(),
  /**
   * `staffSeat`: an agent who served it (web seat, as the seed's types name endpoints);
   * `supervisorSeat` (ours): a supervisor who monitored, whispered to or barged into it (SPEC M28),
   * who did not serve it as a seat (its take-over is a `staffSeat` participation of its own).
   */
  Type: z.enum(['staffSeat', 'supervisorSeat']),
  Sequence: z.number().int().nonnegative(),
  StartTimeStamp: Seconds,
  RingTimestamp: Seconds,
  AcceptTimestamp: Seconds,
  EndedTimestamp: Seconds,
  RecordId: z.string(),
  /** The queue's numeric id; 0 when claimed by hand (no queue). */
  SkillGroupId: z.number().int().nonnegative(),
  SkillGroupName: z.string(),
  SkillGroupPriority: z.number().int(),
  /** The agent it came from (email). */
  TransferFrom: z.string(),
  TransferFromType: z.string(),
  /** The agent (email) or the queue (its numeric id) it went to. */
  TransferTo: z.string(),
  TransferToType: z.string(),
  /** The note given with the transfer that ended this participation, if any. */
  TransferNote: z.string().nullable(),
  EndStatusString: z.string(),
  /** Ours, on `supervisorSeat` participants only: the modes used, in the order first entered. */
  SupervisionModes: z.array(SupervisionMode).optional(),
});
export type CdrParticipant = z.infer<typeof CdrParticipant>;

const TelLocation = z.object({ TelNumber: z.string(), Country: z.string(), Province: z.string(), City: z.string(), Operator: z.string() });
const KeyPress = z.object({ Key: z.string(), Label: z.string() });

/** Ours (SPEC M32): one co-browse of the conversation that went live: who watched and who controlled, for how long. */
export const CdrCobrowse = z.object({
  SessionId: z.string(),
  StartedBy: z.enum(['visitor', 'agent']),
  StartTimestamp: Seconds,
  EndedTimestamp: Seconds,
  Duration: Seconds,
  EndReason: z.string(),
  /** Each agent or supervisor who watched (email), with the seconds watched in total. */
  Viewers: z.array(z.object({ Mail: z.string(), Seconds })),
  /** Each agent the visitor granted control (email), with the seconds in control in total. */
  Controllers: z.array(z.object({ Mail: z.string(), Seconds })),
});
export type CdrCobrowse = z.infer<typeof CdrCobrowse>;

export const Cdr = z.object({
  /** The app's numeric id (TCCC 联络中心实例 ID, a long). */
  SdkAppId: z.number().int(),
  SessionId: z.string(),
  Caller: z.string(),
  Callee: z.string(),
  /** 0 inbound (the visitor's chat or call), 1 outbound (an agent called). */
  Direction: z.union([z.literal(0), z.literal(1)]),
  CallType: z.number().int(),
  MediaType: z.enum(['chat', 'audio', 'video']),
  StartTimestamp: Seconds,
  /** = StartTimestamp: the seed's sample spells the root field so. */
  StartTimeStamp: Seconds,
  QueuedTimestamp: Seconds,
  RingTimestamp: Seconds,
  AcceptTimestamp: Seconds,
  EndedTimestamp: Seconds,
  /** EndedTimestamp − AcceptTimestamp, 0 when never accepted. */
  Duration: Seconds,
  IVRDuration: Seconds,
  /** The queue's numeric id; 0 when it never entered one (claimed by hand, bot only). */
  QueuedSkillGroupId: z.number().int().nonnegative(),
  QueuedSkillGroupName: z.string(),
  /** The last agent: our agent id, email, name, staff number and the names of the queues it serves. */
  SeatUser: z.object({ UserId: z.string(), Mail: z.string(), Name: z.string(), Nick: z.string(), Phone: z.string(), StaffNumber: z.string(), SkillGroupNameList: z.array(z.string()) }).nullable(),
  ServeParticipants: z.array(CdrParticipant),
  HungUpSide: z.enum(['user', 'seat', 'system']),
  EndStatus: z.number().int(),
  EndStatusString: z.string(),
  Uui: z.string(),
  CallerLocation: z.string(),
  IVRKeyPressed: z.array(z.string()),
  IVRKeyPressedEx: z.array(KeyPress),
  PostIVRKeyPressed: z.array(KeyPress),
  RecordId: z.string(),
  /**
   * A call's recording (Frontdesk's, beside the TCCC fields): a signed link to its mixed file that
   * works until the recording's retention ends. Absent when the call was not recorded, and for chats.
   */
  RecordURL: z.string().optional(),
  UserRemark: z.string(),
  TelLocation,
  /** Ours: the conversation's co-browses that went live (absent when none). */
  Cobrowse: z.array(CdrCobrowse).optional(),
  /**
   * Frontdesk's own: the agent's wrap-up of a chat (disposition and tag names, as shown to agents);
   * null before one is recorded, absent on calls. Recorded after the CDR was written, it is added to it.
   */
  WrapUp: z.object({ Disposition: z.string().nullable(), Tags: z.array(z.string()) }).nullable().optional(),
});
export type Cdr = z.infer<typeof Cdr>;
/** The wrap-up a chat's CDR carries. */
export type CdrWrapUp = NonNullable<Cdr['WrapUp']>;

export const CdrList = z.object({ cdrs: z.array(Cdr), nextAfter: z.string().nullable() });
/** By end time (ms), oldest first; `after` is the previous page's `nextAfter`. */
export const ListCdrsQuery = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(200).optional(),
});
export const SessionIdParams = z.object({ sessionId: Id });

const Url = z.string().trim().min(1).max(2048);
export const DataPushAuthInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1).max(200), password: z.string().min(1).max(500) }),
  z.object({ kind: z.literal('oauth2'), tokenUrl: Url, clientId: z.string().min(1).max(500), clientSecret: z.string().min(1).max(2000) }),
]);
export const PutDataPushBody = z.object({ url: Url, enabled: z.boolean().default(true), auth: DataPushAuthInput.default({ kind: 'none' }) });
export type PutDataPushInput = z.input<typeof PutDataPushBody>;

/** Settings as shown: secrets are never returned, only whether they are set. */
export const DataPushSettings = z.object({
  url: z.string(),
  enabled: z.boolean(),
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('basic'), username: z.string(), hasPassword: z.boolean() }),
    z.object({ kind: z.literal('oauth2'), tokenUrl: z.string(), clientId: z.string(), hasClientSecret: z.boolean() }),
  ]),
  updatedAt: TimestampMs,
});
export type DataPushSettings = z.infer<typeof DataPushSettings>;

/**
 * The data push delivery log: one push per CDR (its id is the `X-TCCC-PUSH-UUID` header, the same on
 * every attempt). pending: due or being retried; delivered: ErrCode 0 came back; failed: every
 * attempt (1 + 3 retries) was refused; cancelled: the push was turned off or the CDR is gone.
 */
export const DATA_PUSH_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export const DataPushAttempt = z.object({
  at: TimestampMs,
  statusCode: z.number().int().nullable(),
  /** The receiver's ErrCode; null when the answer had none. */
  errCode: z.number().int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.number().int().nonnegative(),
});
export const DataPushDelivery = z.object({
  id: Id,
  sessionId: Id,
  status: z.enum(DATA_PUSH_STATUSES),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
  attemptLog: z.array(DataPushAttempt),
});
export type DataPushDelivery = z.infer<typeof DataPushDelivery>;
export const ListDataPushDeliveriesQuery = z.object({
  status: z.enum(DATA_PUSH_STATUSES).optional(),
  sessionId: Id.optional(),
  /** The previous page's `nextAfter`. */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** Newest first. */
export const DataPushDeliveryList = z.object({ deliveries: z.array(DataPushDelivery), nextAfter: z.string().nullable() });
