import type { Events } from '../../events.ts';
import type { CobrowseService } from './cobrowse.service.ts';

/** The conversation closing ends its co-browse: nobody keeps watching a page after the chat ended. */
export function registerCobrowseListeners(events: Events, cobrowse: CobrowseService): void {
  events.onAfterCommit('conversation.closed', 'cobrowse: end with the conversation', ({ conversation }) =>
    cobrowse.endForConversation(conversation.appId, { appId: conversation.appId, id: conversation.id, visitorId: conversation.visitorId, agentId: conversation.agentId }),
  );
}
