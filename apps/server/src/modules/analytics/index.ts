/**
 * Analytics (SPEC M41) owns the read model reports are computed from (analytics.schema.ts) and the
 * report queries. Invariants: each ended conversation has one set of rows, rebuilt whole from its
 * routing history and messages by a pure function (conversation-facts.ts), so a figure is never
 * counted twice and can be recomputed from the raw events; ratings and calls are written in the
 * transaction that records them; every query is scoped by app id and bucketed in the caller's zone.
 */
export { createAnalytics, type Analytics, type AnalyticsSources } from './analytics.service.ts';
export { registerAnalyticsListeners } from './analytics.listeners.ts';
export { registerAnalyticsRoutes } from './analytics.routes.ts';
export { createWallboardPush, type WallboardPush } from './wallboard-push.ts';
