import { z } from 'zod';
import { ClientMessageId, Id, MAX_TEXT_LENGTH, TimestampMs } from './model.ts';

/**
 * Supervision of live chats (SPEC M28, TCCC `Call.monitor` / `Call.intercept` for chats): a
 * supervisor or admin follows a conversation in one mode at a time and switches freely.
 * - `monitor`: reads it; nobody is told.
 * - `whisper`: writes to the agent only (whispers are never messages: the visitor, the widget,
 *   webhooks and transcripts never see them).
 * - `barge`: writes to the visitor as themselves, and joins the conversation as a participant.
 * `intercept` (强拆) ends the supervision: the conversation is transferred to the supervisor and
 * its agent leaves it. Each change is a step of the conversation's supervision timeline.
 */
export const SUPERVISION_MODES = ['monitor', 'whisper', 'barge'] as const;
export const SupervisionMode = z.enum(SUPERVISION_MODES);
export type SupervisionMode = z.infer<typeof SupervisionMode>;

/** A step of the timeline: a mode entered, the take-over, or the end of the supervision. */
export const SUPERVISION_STEP_KINDS = [...SUPERVISION_MODES, 'intercept', 'stop'] as const;
export const SupervisionStepKind = z.enum(SUPERVISION_STEP_KINDS);
export type SupervisionStepKind = z.infer<typeof SupervisionStepKind>;

export const SupervisionStep = z.object({
  id: Id,
  conversationId: Id,
  /** The supervisor's agent id. */
  supervisorId: Id,
  mode: SupervisionStepKind,
  /** The mode it left; null when the supervision started with this step. */
  previousMode: SupervisionStepKind.nullable(),
  /** Order of the conversation's steps, from 1 (several may share a millisecond). */
  seq: z.number().int().positive(),
  at: TimestampMs,
});
export type SupervisionStep = z.infer<typeof SupervisionStep>;

/** A supervisor following the conversation now, and since when in this mode. */
export const ActiveSupervision = z.object({ conversationId: Id, supervisorId: Id, mode: SupervisionMode, since: TimestampMs });
export type ActiveSupervision = z.infer<typeof ActiveSupervision>;

export const MAX_WHISPER_LENGTH = MAX_TEXT_LENGTH;

/** What a supervisor said to the conversation's agent only. */
export const Whisper = z.object({
  id: Id,
  conversationId: Id,
  supervisorId: Id,
  clientId: z.string().nullable(),
  text: z.string(),
  createdAt: TimestampMs,
});
export type Whisper = z.infer<typeof Whisper>;

/** The supervision of a conversation, for its staff: who follows it now, every step, every whisper. */
export const SupervisionTimeline = z.object({
  conversationId: Id,
  active: z.array(ActiveSupervision),
  steps: z.array(SupervisionStep),
  whispers: z.array(Whisper),
});
export type SupervisionTimeline = z.infer<typeof SupervisionTimeline>;

export const WhisperList = z.object({ whispers: z.array(Whisper) });

// ── REST bodies ───────────────────────────────────────────────────────────────────────────
export const SetSupervisionBody = z.object({ mode: SupervisionMode });
const SupervisorText = z.string().trim().min(1).max(MAX_WHISPER_LENGTH);
/** A whisper, or a barge-in message; the clientId makes it idempotent like a message's. */
export const SupervisorTextBody = z.object({ text: SupervisorText, clientId: ClientMessageId.optional() });

// ── WebSocket frames ──────────────────────────────────────────────────────────────────────
const RequestId = z.string().min(1).max(64);

/** Enter a mode, or stop supervising (`stop`). Answered with the supervisor's `ActiveSupervision` (null after stop). */
export const SupervisionSetFrame = z.object({ type: z.literal('supervision.set'), id: RequestId, conversationId: Id, mode: z.enum([...SUPERVISION_MODES, 'stop']) });
/** A whisper to the agent (enters `whisper` mode first if needed); answered with the `Whisper`. */
export const SupervisionWhisperFrame = z.object({ type: z.literal('supervision.whisper'), id: RequestId, conversationId: Id, clientId: ClientMessageId, text: SupervisorText });
/** A message to the visitor as the supervisor (enters `barge` mode first if needed); answered with the `Message`. */
export const SupervisionBargeFrame = z.object({ type: z.literal('supervision.barge'), id: RequestId, conversationId: Id, clientId: ClientMessageId, text: SupervisorText });
/** Take the conversation over from its agent (only while supervising it); answered with the `Conversation`. */
export const SupervisionInterceptFrame = z.object({ type: z.literal('supervision.intercept'), id: RequestId, conversationId: Id });

export const SUPERVISION_CLIENT_FRAMES = [SupervisionSetFrame, SupervisionWhisperFrame, SupervisionBargeFrame, SupervisionInterceptFrame] as const;

/** To the conversation's agent and the supervisors following it: a whisper (never to a visitor). */
export const WhisperEvent = z.object({ type: z.literal('whisper'), whisper: Whisper });
/**
 * A supervision step. The agent hears of whisper, barge and intercept; monitoring stays silent
 * (its steps, and the stop that ends it, reach only the supervisor's own sockets).
 */
export const SupervisionEvent = z.object({ type: z.literal('supervision'), step: SupervisionStep });

export const SUPERVISION_SERVER_FRAMES = [WhisperEvent, SupervisionEvent] as const;
