/**
 * Canned responses: an app's prepared replies, each with a shortcut unique in the app that
 * agents type after `/` in the workbench composer, and each agent's own (seen only by that agent).
 * Owns the canned_responses and personal_canned_responses tables.
 */
export { createCannedResponsesService, type CannedResponsesService } from './canned-responses.service.ts';
export { registerCannedResponseRoutes } from './canned-responses.routes.ts';
