/**
 * Routing (ACD, SPEC M15–M21) owns queues, areas, agent skills, the routing log and the status
 * and routing histories. Invariants: every decision comes from the deterministic core in
 * `engine/`, handled under a per-app lock and logged in order, so every node replays the same
 * state; it is the one owner of assignment: push offers, pools and claims by hand (manual mode)
 * alike, so an offer or assignment is never held by two agents and no agent exceeds capacity.
 * Decisions are announced as `routing.decided` (routing.events.ts).
 */
export { MANUAL_QUEUE_ID, RoutingEngine } from './engine/engine.ts';
export type { RoutingAction, RoutingEvent } from './engine/types.ts';
export { createRoutingShell, type RoutingShell } from './routing.shell.ts';
export type { Decided, RoutingEvents } from './routing.events.ts';
export { createRoutingConfig, type AgentProfile, type RoutingConfig } from './routing-config.service.ts';
export { createRoutingService, type RoutingService } from './routing.service.ts';
export { routingFrames } from './routing.frames.ts';
export { createStrandedSignIns } from './stranded-sign-ins.ts';
export { registerRoutingRoutes } from './routing.routes.ts';
