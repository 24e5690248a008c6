import type { ConversationView } from '@frontdesk/sdk-agent';
import { memo } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { formatClock, visitorLabel } from '../../../app/format.ts';
import { Badge } from '../../../ui/index.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { useSession } from '../hooks/use-sessions.ts';
import { previewOf } from '../state/preview.ts';
import { format } from '../../../app/locale.ts';
import { inboxStrings } from '../locales/index.ts';

const ROLE_BADGES = {
  offered: { labelKey: 'ringing', tone: 'warning' },
  pool: { labelKey: 'pool', tone: 'info' },
  unclaimed: { labelKey: 'waiting', tone: 'info' },
  ended: { labelKey: 'ended', tone: 'neutral' },
} as const;

export interface InboxRowProps {
  sessionId: string;
  isSelected: boolean;
  onSelect: (sessionId: string) => void;
}

/** One session in the inbox; re-renders only when that session changes. */
export const InboxRow = memo(function InboxRow({ sessionId, isSelected, onSelect }: InboxRowProps) {
  const entry = useSession(sessionId);
  if (!entry) return null;
  const { view } = entry;
  return <InboxRowContent view={view} isSelected={isSelected} onSelect={onSelect} />;
});

function InboxRowContent({ view, isSelected, onSelect }: { view: ConversationView; isSelected: boolean; onSelect: (id: string) => void }) {
  const { conversation } = view;
  const client = useClient();
  const visitor = useVisitor(conversation.id, conversation.visitorId);
  const last = view.messages.at(-1);
  const badge = view.role === 'assigned' ? null : ROLE_BADGES[view.role];
  // A message left when nobody could answer: shown until the conversation ends, so it is answered.
  const isMessageLeft = Boolean(conversation.messageLeftAt) && conversation.status === 'open';
  const name = visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name);
  const t = inboxStrings();
  return (
    <li>
      <button
        type="button"
        className={['wb-inbox-row', isSelected && 'wb-inbox-row--selected', view.unreadCount > 0 && 'wb-inbox-row--unread'].filter(Boolean).join(' ')}
        aria-current={isSelected ? 'true' : undefined}
        onClick={() => onSelect(conversation.id)}
        data-testid="inbox-row"
        data-session-id={conversation.id}
      >
        <span className="wb-inbox-row__avatar" aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>
        <span className="wb-inbox-row__main">
          <span className="wb-inbox-row__top">
            <span className="wb-inbox-row__name">{name}</span>
            <span className="wb-inbox-row__time">{formatClock(last?.createdAt ?? conversation.updatedAt)}</span>
          </span>
          <span className="wb-inbox-row__bottom">
            <span className="wb-inbox-row__preview" dir="auto">{view.isVisitorTyping ? t.typing : previewOf(last, client.Agent.me()?.id ?? null)}</span>
            {isMessageLeft && <Badge tone="warning" data-testid="message-left-badge">{t.messageLeft}</Badge>}
            {badge && <Badge tone={badge.tone}>{t[badge.labelKey]}</Badge>}
            {view.unreadCount > 0 && (
              <Badge tone="danger" className="wb-inbox-row__unread" data-testid="unread-count" aria-label={format(t.unread, { count: view.unreadCount })}>
                {view.unreadCount > 99 ? '99+' : view.unreadCount}
              </Badge>
            )}
          </span>
        </span>
      </button>
    </li>
  );
}
