/**
 * Supervision of live chats (SPEC M28): monitor, whisper, barge-in and intercept. Owns the
 * supervision timeline (`supervision_steps`) and whispers; invariant: a whisper is never a
 * message, so it reaches only staff (the agent's and supervisors' sockets, staff REST reads).
 * Barge-in messages and the join notice are the conversations module's messages; the take-over is
 * routing's (a transfer to the supervisor, marked as an intercept in routing's history).
 */
export { createSupervisionService, type SupervisionService } from './supervision.service.ts';
export type { SupervisionEvents } from './supervision.events.ts';
export { supervisionFrames } from './supervision.frames.ts';
export { registerSupervisionRoutes } from './supervision.routes.ts';
