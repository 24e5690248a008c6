import type { ConversationChannel, Message, OutboxEntry } from '@frontdesk/sdk-agent';
import { memo } from 'react';
import { formatClock } from '../../../app/format.ts';
import { systemText } from '../../inbox/state/preview.ts';
import { Attachment } from './Attachment.tsx';
import { MessageText } from './MessageText.tsx';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

export type Delivery = ConversationChannel['deliveries'][number];

/**
 * One message. Chat content is untrusted: it is only ever rendered as React text nodes (never as
 * HTML), so markup in a message shows as the characters the sender typed. Its text has `dir="auto"`:
 * Arabic or Hebrew text, with Latin words or numbers in it, keeps its own direction and order.
 */
export const MessageBubble = memo(function MessageBubble({ message, ownAgentId, agentName, delivery }: { message: Message; ownAgentId: string | null; agentName: (agentId: string) => string; delivery?: Delivery | undefined }) {
  if (message.kind === 'system' || message.senderType === 'system') {
    return (
      <li className="wb-msg wb-msg--system" data-testid="message" data-seq={message.seq}>
        <span>{systemText(message.text, message.senderId ? agentName(message.senderId) : undefined)}</span>
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatClock(message.createdAt)}</time>
      </li>
    );
  }
  const isOwn = message.senderType === 'agent' && message.senderId === ownAgentId;
  const side = message.senderType === 'visitor' || message.senderType === 'bot' ? 'in' : 'out';
  return (
    <li className={`wb-msg wb-msg--${side} wb-msg--${message.senderType}`} data-testid="message" data-seq={message.seq} data-sender={message.senderType}>
      <div className="wb-msg__meta">
        <span className="wb-msg__sender">{isOwn ? cs().you : message.senderType === 'agent' && message.senderId ? agentName(message.senderId) : cs().senders[message.senderType]}</span>
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatClock(message.createdAt)}</time>
      </div>
      <div className="wb-msg__bubble">
        {message.file ? <Attachment file={message.file} isImage={message.kind === 'image'} /> : <p className="wb-msg__text" dir="auto" data-testid="message-text"><MessageText text={message.text} /></p>}
      </div>
      {delivery && (
        // The provider's reason of a refusal is its text, shown as text.
        <p className={`wb-msg__delivery${delivery.status === 'failed' ? ' wb-msg__delivery--failed' : ''}`} data-testid="message-delivery" data-status={delivery.status}>
          {cs().deliveries[delivery.status]}
          {delivery.reason && (delivery.status === 'failed' || delivery.status === 'queued') && <span dir="auto">{`: ${delivery.reason}`}</span>}
        </p>
      )}
    </li>
  );
});

/** A message of this agent that the server has not acknowledged yet. */
export function PendingBubble({ entry, onRetry, onDiscard }: { entry: OutboxEntry; onRetry: () => void; onDiscard: () => void }) {
  return (
    <li className={`wb-msg wb-msg--out wb-msg--agent wb-msg--pending${entry.state === 'failed' ? ' wb-msg--failed' : ''}`} data-testid="pending-message">
      <div className="wb-msg__meta">
        <span className="wb-msg__sender">{cs().you}</span>
        <span>{entry.state === 'sending' ? cs().sending : cs().notSent}</span>
      </div>
      <div className="wb-msg__bubble">
        <p className="wb-msg__text" dir="auto">{entry.kind === 'file' ? format(cs().fileNamed, { name: entry.fileName ?? entry.text }) : entry.text}</p>
      </div>
      {entry.state === 'failed' && (
        <div className="wb-msg__failure">
          {entry.errorMsg && <span>{entry.errorMsg}</span>}
          <button type="button" className="wb-link" onClick={onRetry}>{cs().retry}</button>
          <button type="button" className="wb-link" onClick={onDiscard}>{cs().discard}</button>
        </div>
      )}
    </li>
  );
}
