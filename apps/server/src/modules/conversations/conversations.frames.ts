import type { FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { ConversationsService } from './conversations.service.ts';

/** The conversation frames of the realtime protocol: sends, resume, read state and typing. */
export function conversationFrames(conversations: ConversationsService): FrameHandlers<'message.send' | 'location.send' | 'resume' | 'read' | 'typing'> {
  return {
    'message.send': async (frame, { principal }) => (await conversations.sendText(principal, frame.conversationId, frame)).message,
    'location.send': async (frame, { principal }) => (await conversations.sendLocation(principal, frame.conversationId, { clientId: frame.clientId, ...frame.location })).message,
    resume: async (frame, { principal, follow }) => {
      for (const [conversationId, seq] of Object.entries(frame.positions)) {
        await conversations.readable(principal, conversationId);
        follow(conversationId, seq);
      }
      return {};
    },
    read: (frame, { principal }) => conversations.markRead(principal, frame.conversationId, frame.seq),
    typing: (frame, { principal }) => conversations.setTyping(principal, frame.conversationId, frame.isTyping, frame.draft),
  };
}
