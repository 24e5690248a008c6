import { z } from 'zod';
import { Call, IceServer } from './calls.ts';
import { Id, TimestampMs } from './model.ts';
import { SUPERVISION_MODES, SupervisionMode } from './supervision.ts';

/**
 * Supervision of live calls (SPEC M28, TCCC `Call.monitor` / `Call.intercept`): a supervisor or
 * admin joins a call's media in one mode at a time and switches freely, without reconnecting.
 * - `monitor`: hears and sees the visitor and the agent; nobody receives the supervisor.
 * - `whisper`: the agent (only) hears the supervisor.
 * - `barge`: the visitor and the agent hear the supervisor.
 * `textOnly` monitoring (seed 004: several at once) follows the call without its media; voice
 * supervision is one call at a time per supervisor. `intercept` (强拆) needs the call supervised
 * first: the agent leaves and the call goes on between the visitor and the supervisor.
 */
export const CALL_SUPERVISION_STEP_KINDS = [...SUPERVISION_MODES, 'intercept', 'stop'] as const;
export const CallSupervisionStepKind = z.enum(CALL_SUPERVISION_STEP_KINDS);
export type CallSupervisionStepKind = z.infer<typeof CallSupervisionStepKind>;

/** A step of a call's supervision timeline (who, what, when). */
export const CallSupervisionStep = z.object({
  id: Id,
  callId: Id,
  /** The supervisor's agent id. */
  supervisorId: Id,
  mode: CallSupervisionStepKind,
  previousMode: CallSupervisionStepKind.nullable(),
  /** Monitoring without the call's media (TCCC textOnly). */
  textOnly: z.boolean(),
  /** Order of the call's steps, from 1. */
  seq: z.number().int().positive(),
  at: TimestampMs,
});
export type CallSupervisionStep = z.infer<typeof CallSupervisionStep>;

/** A supervisor in a call now, its mode and since when. */
export const ActiveCallSupervision = z.object({ callId: Id, supervisorId: Id, mode: SupervisionMode, textOnly: z.boolean(), since: TimestampMs });
export type ActiveCallSupervision = z.infer<typeof ActiveCallSupervision>;

export const CallSupervisionTimeline = z.object({ callId: Id, active: z.array(ActiveCallSupervision), steps: z.array(CallSupervisionStep) });
export type CallSupervisionTimeline = z.infer<typeof CallSupervisionTimeline>;

/** What a supervisor's join answers: the call, the ICE servers, its own supervision now. */
export const CallSupervisionJoin = z.object({ call: Call, iceServers: z.array(IceServer), supervision: ActiveCallSupervision.nullable() });
export type CallSupervisionJoin = z.infer<typeof CallSupervisionJoin>;

/** A live call on the supervisor board. */
export const LiveCall = z.object({ call: Call, queueId: Id.nullable(), supervisors: z.array(ActiveCallSupervision) });
export type LiveCall = z.infer<typeof LiveCall>;
export const LiveCallList = z.object({ calls: z.array(LiveCall) });

// ── REST bodies ───────────────────────────────────────────────────────────────────────────
export const SetCallSupervisionBody = z.object({ mode: SupervisionMode, textOnly: z.boolean().optional() });

// ── WebSocket frames ──────────────────────────────────────────────────────────────────────
const RequestId = z.string().min(1).max(64);

/** Enter a mode (or stop) in a call; answered with a `CallSupervisionJoin` (`supervision` null after stop). */
export const CallSuperviseFrame = z.object({ type: z.literal('call.supervise'), id: RequestId, callId: Id, mode: z.enum([...SUPERVISION_MODES, 'stop']), textOnly: z.boolean().optional() });
/** Take the call over from its agent (only while supervising it); answered with the `Call`. */
export const CallInterceptFrame = z.object({ type: z.literal('call.intercept'), id: RequestId, callId: Id });

export const CALL_SUPERVISION_CLIENT_FRAMES = [CallSuperviseFrame, CallInterceptFrame] as const;

/** To the supervisor's sockets (and the agent unless the step is a silent monitor): a call supervision step. */
export const CallSupervisionEvent = z.object({ type: z.literal('call.supervision'), step: CallSupervisionStep });
export const CALL_SUPERVISION_SERVER_FRAMES = [CallSupervisionEvent] as const;
