import type { Conversation } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { CobrowseService } from './cobrowse.service.ts';

/**
 * The conversation closing ends its co-browse: nobody keeps watching a page after the chat ended.
 * Its changing hands takes control from the agent who held it.
 */
export function registerCobrowseListeners(events: Events, cobrowse: CobrowseService): void {
  const refOf = (c: Conversation) => ({ appId: c.appId, id: c.id, visitorId: c.visitorId, agentId: c.agentId });
  events.onAfterCommit('conversation.closed', 'cobrowse: end with the conversation', ({ conversation }) => cobrowse.endForConversation(conversation.appId, refOf(conversation)));
  events.onAfterCommit('conversation.updated', 'cobrowse: control stays with the holder', ({ conversation }) => cobrowse.holderChanged(conversation.appId, refOf(conversation)));
}
