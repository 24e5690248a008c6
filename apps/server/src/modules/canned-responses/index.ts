/**
 * Canned responses: an app's prepared replies, each with a shortcut unique in the app that
 * agents type after `/` in the workbench composer. Owns the canned_responses table.
 */
export { createCannedResponsesService, type CannedResponsesService } from './canned-responses.service.ts';
export { registerCannedResponseRoutes } from './canned-responses.routes.ts';
