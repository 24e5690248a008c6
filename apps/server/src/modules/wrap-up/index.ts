/**
 * Wrap-up: the disposition codes and tags an app keeps (archived, never deleted) and each
 * conversation's wrap-up (one disposition, tags, a note), recorded by its agent or a supervisor.
 * Owns wrap_up_labels and conversation_wrap_ups; conversations are read through the conversations
 * module's access check, passed in.
 */
export { createWrapUpService, type WrapUpService } from './wrap-up.service.ts';
export { registerWrapUpRoutes } from './wrap-up.routes.ts';
