import type { SenderType } from '@frontdesk/protocol';
import type { Principal } from '../../platform/principal.ts';
import { ConversationError } from './conversations.errors.ts';
import type { ConversationRow } from './conversations.repository.ts';

export type Sender = { type: SenderType; id: string };

/** Who may see a conversation. Anyone else gets "not found": other apps' ids are never confirmed. */
export function canRead(principal: Principal, row: ConversationRow): boolean {
  if (row.app_id !== principal.appId) return false;
  if (principal.kind === 'visitor') return row.visitor_id === principal.visitorId;
  return true;
}

export function assertReadable(principal: Principal, row: ConversationRow | undefined, conversationId: string): ConversationRow {
  if (!row || !canRead(principal, row)) throw new ConversationError('FD_CONVERSATION_NOT_FOUND', `conversation ${conversationId} not found`);
  return row;
}

/** The sender id `senderOf` gives the principal wherever it may write: known before the row is read. */
export function senderIdOf(principal: Principal): string | undefined {
  return principal.kind === 'visitor' ? principal.visitorId : principal.kind === 'agent' ? principal.agentId : undefined;
}

/** The visitor and the assigned agent write in a conversation; nobody else. */
export function senderOf(principal: Principal, row: ConversationRow): Sender {
  if (principal.kind === 'visitor' && row.visitor_id === principal.visitorId) return { type: 'visitor', id: principal.visitorId };
  if (principal.kind === 'agent' && row.agent_id === principal.agentId) return { type: 'agent', id: principal.agentId };
  throw new ConversationError('FD_CONVERSATION_NOT_PARTICIPANT', 'only the visitor and the assigned agent may write here');
}
