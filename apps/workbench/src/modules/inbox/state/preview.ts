import type { Message } from '@frontdesk/sdk-agent';
import { supervisionStrings } from '../../supervisor/locales/index.ts';
import { cobrowseStrings } from '../../cobrowse/locales/index.ts';

/** Why routing gave a conversation up (the visitor was told so, in their language). */
const RELEASED: Record<string, string> = {
  no_agent: 'No agent was signed in: the visitor was told to come back later',
  off_hours: 'Off hours: the visitor was told to come back later',
  wait_timeout: 'Nobody took the chat in time: the visitor was told to come back later',
  queue_full: 'The queue was full: the visitor was told to come back later',
};

/** Readable text of system notices (the server stores codes like `agent.joined`). */
export function systemText(text: string): string {
  switch (text) {
    case 'agent.joined':
      return 'An agent joined the chat';
    case 'agent.left':
      return 'The agent left the chat';
    case 'supervisor.joined':
      return supervisionStrings().supervisorJoined;
    case 'cobrowse.started':
      return cobrowseStrings().started;
    case 'cobrowse.ended':
      return cobrowseStrings().endedNotice;
    case 'conversation.closed:client':
      return 'The visitor ended the chat';
    case 'conversation.closed:seat':
      return 'The agent ended the chat';
    case 'conversation.closed:admin':
      return 'A supervisor ended the chat';
    case 'conversation.closed:timer':
      return 'The chat ended after a timeout';
    default:
      if (text.startsWith('conversation.released:')) return RELEASED[text.slice('conversation.released:'.length)] ?? 'Nobody could take the chat: it ended';
      return text.startsWith('conversation.closed') ? 'The chat ended' : text;
  }
}

/** One line for the inbox: the newest message as plain text. */
export function previewOf(message: Message | undefined, ownAgentId: string | null): string {
  if (!message) return 'No messages yet';
  if (message.kind === 'system') return systemText(message.text);
  const prefix = message.senderType === 'agent' ? (message.senderId === ownAgentId ? 'You: ' : 'Agent: ') : message.senderType === 'bot' ? 'Bot: ' : '';
  if (message.file) return `${prefix}${message.kind === 'image' ? 'Image' : 'File'}: ${message.file.name}`;
  return prefix + message.text.replace(/\s+/g, ' ').slice(0, 120);
}
