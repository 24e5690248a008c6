import type { Message } from '@frontdesk/sdk-agent';
import { format } from '../../../app/locale.ts';
import { supervisionStrings } from '../../supervisor/locales/index.ts';
import { cobrowseStrings } from '../../cobrowse/locales/index.ts';
import { conversationStrings } from '../../conversation/locales/index.ts';
import { inboxStrings } from '../locales/index.ts';

/** Why routing gave a conversation up (the visitor was told so, in their language). */
const RELEASED: Record<string, 'releasedNoAgent' | 'releasedOffHours' | 'releasedWaitTimeout' | 'releasedQueueFull'> = {
  no_agent: 'releasedNoAgent',
  off_hours: 'releasedOffHours',
  wait_timeout: 'releasedWaitTimeout',
  queue_full: 'releasedQueueFull',
};

/**
 * Readable text of system notices (the server stores codes like `agent.joined`). A join or leave
 * names its agent when the caller knows the notice's sender (`senderId`) by name.
 */
export function systemText(text: string, name?: string | undefined): string {
  const t = inboxStrings();
  switch (text) {
    case 'agent.joined':
      return name ? format(t.agentJoinedNamed, { name }) : t.agentJoined;
    case 'agent.left':
      return name ? format(t.agentLeftNamed, { name }) : t.agentLeft;
    case 'supervisor.joined':
      return name ? format(supervisionStrings().supervisorJoinedNamed, { name }) : supervisionStrings().supervisorJoined;
    case 'cobrowse.started':
      return cobrowseStrings().started;
    case 'cobrowse.ended':
      return cobrowseStrings().endedNotice;
    case 'conversation.closed:client':
      return t.closedByVisitor;
    case 'conversation.closed:seat':
      return t.closedByAgent;
    case 'conversation.closed:admin':
      return t.closedBySupervisor;
    case 'conversation.closed:timer':
      return t.closedByTimer;
    default:
      if (text.startsWith('conversation.released:')) {
        const key = RELEASED[text.slice('conversation.released:'.length)];
        return key ? t[key] : t.releasedOther;
      }
      return text.startsWith('conversation.closed') ? t.closed : text;
  }
}

/** One line for the inbox: the newest message as plain text. */
export function previewOf(message: Message | undefined, ownAgentId: string | null): string {
  const t = inboxStrings();
  if (!message) return t.noMessages;
  // The agent's own join or leave reads "You joined…"; another agent's stays unnamed here (no directory).
  if (message.kind === 'system') return systemText(message.text, message.senderId !== null && message.senderId === ownAgentId ? conversationStrings().you : undefined);
  const prefix = message.senderType === 'agent' ? (message.senderId === ownAgentId ? t.youPrefix : t.agentPrefix) : message.senderType === 'bot' ? t.botPrefix : '';
  if (message.file) return `${prefix}${message.kind === 'image' ? t.image : t.file}: ${message.file.name}`;
  return prefix + message.text.replace(/\s+/g, ' ').slice(0, 120);
}
