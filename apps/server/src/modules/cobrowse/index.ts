/**
 * Co-browsing (SPEC M32): the consent state machine of each session (a pure engine, its shell and
 * steps), and the relay of the visitor's capture to the session's viewers and of their
 * annotations and granted control back. Invariant: nothing of the page passes without the
 * visitor's consent, nor to anyone but the conversation's agent and supervisors; control actions
 * pass only while the visitor grants them. The page itself is never stored.
 */
export { changeAudience, createCobrowseService, type CobrowseService, type Relay } from './cobrowse.service.ts';
export type { CobrowseEvents } from './cobrowse.events.ts';
export { cobrowseFrames } from './cobrowse.frames.ts';
export { registerCobrowseListeners } from './cobrowse.listeners.ts';
export { registerCobrowseRoutes } from './cobrowse.routes.ts';
