import type { CloseBy, Conversation, FileRef, Message, Rating, SenderType } from '@frontdesk/protocol';

/**
 * What the conversations module announces (platform/events). The list of listeners of each event
 * is in docs/architecture.md; app.ts registers them.
 */
export interface ConversationEvents {
  /** A conversation was created; `routingState` is `bot` when its channel's bot answers first, else `none`. */
  'conversation.opened': { conversation: Conversation };
  /** Its routing state, agent or queue changed (routing decisions applied); its end is `conversation.closed`. */
  'conversation.updated': { conversation: Conversation };
  /** A message was stored with the next seq of its conversation; `file` when it carries an upload. */
  'message.created': { conversation: Conversation; message: Message; file: FileRef | null };
  'conversation.closed': { conversation: Conversation; closeBy: CloseBy };
  /** The visitor rated the conversation (CSAT); the last rating counts. */
  'conversation.rated': { appId: string; rating: Rating; agentId: string | null };
  /** Published without a transaction: a read position moved forward (stored), or someone is typing (not stored). */
  'conversation.read': { conversation: Conversation; senderType: SenderType; senderId: string; seq: number };
  /** `draft`: the visitor's text so far, only for a channel with typing preview. */
  'conversation.typing': { conversation: Conversation; senderType: SenderType; senderId: string; isTyping: boolean; draft?: string };
}
