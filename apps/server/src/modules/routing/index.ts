/**
 * Routing (ACD, SPEC M15–M21) owns queues, areas, agent skills, the routing log and the status
 * and routing histories. Invariants: every decision comes from the deterministic core in
 * `engine/`, handled under a per-app lock and logged in order, so every node replays the same
 * state; an offer or assignment is never held by two agents, and no agent exceeds capacity.
 */
export { RoutingEngine } from './engine/engine.ts';
export type { RoutingAction, RoutingEvent } from './engine/types.ts';
export { createRoutingShell, type Decided, type RoutingPort, type RoutingShell } from './routing.shell.ts';
export { createRoutingService, type AgentProfile, type RoutingService } from './routing.service.ts';
export { registerRoutingRoutes } from './routing.routes.ts';
export { webhookEventsOf } from './routing.events.ts';
