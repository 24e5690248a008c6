import { lazy, Suspense } from 'react';
import type { Conversation } from '@frontdesk/sdk-agent';
import type { IdentityMode } from '@frontdesk/protocol';
import { formatDateTime, visitorLabel, visitorOwnName } from '../../../app/format.ts';
import { Badge } from '../../../ui/index.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { useChannelName } from '../hooks/use-channel-name.ts';
import { useRating } from '../hooks/use-rating.ts';
import { NotesPanel } from './NotesPanel.tsx';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

// NOTE: its own chunk, loaded with the first conversation opened: the inbox does not wait for it.
const ContactPanel = lazy(() => import('../../contacts/components/ContactPanel.tsx').then((m) => ({ default: m.ContactPanel })));
const WrapUpPanel = lazy(() => import('../../wrap-up/components/WrapUpPanel.tsx').then((m) => ({ default: m.WrapUpPanel })));

const IS_VERIFIED: Record<IdentityMode, boolean> = { anonymous: false, hmac: true, token: true, 'auth-v2': true, vtc: true };

/** Who the visitor is, how they were identified, the wrap-up (the agent's own), their contact, their CSAT rating, and the team's notes. */
export function VisitorPanel({ conversation, authorName, canWrapUp = false }: { conversation: Conversation; authorName: (agentId: string | null) => string; canWrapUp?: boolean }) {
  const visitor = useVisitor(conversation.id, conversation.visitorId);
  const rating = useRating(conversation.id);
  const channelName = useChannelName(conversation.channelId);
  const identity = visitor ? { label: cs().identities[visitor.identityMode] ?? visitor.identityMode, isVerified: IS_VERIFIED[visitor.identityMode] ?? false } : null;
  return (
    <aside className="wb-side" aria-label={cs().visitorDetails}>
      <section className="wb-panel" data-testid="visitor-panel">
        <h3>{cs().visitor}</h3>
        <p className="wb-side__name">{visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name)}</p>
        {identity && <Badge tone={identity.isVerified ? 'success' : 'neutral'}>{identity.label}</Badge>}
        <dl className="wb-facts">
          {visitor?.externalId && (
            <>
              <dt>{cs().userId}</dt>
              <dd>{visitor.externalId}</dd>
            </>
          )}
          <dt>{cs().visitorId}</dt>
          <dd className="wb-facts__mono">{conversation.visitorId}</dd>
          {visitor && (
            <>
              <dt>{cs().firstSeen}</dt>
              <dd>{formatDateTime(visitor.createdAt)}</dd>
            </>
          )}
          <dt>{cs().conversationStarted}</dt>
          <dd>{formatDateTime(conversation.createdAt)}</dd>
          {conversation.channelId && (
            <>
              <dt>{cs().channel}</dt>
              <dd className={channelName ? undefined : 'wb-facts__mono'} data-testid="visitor-channel">{channelName ?? conversation.channelId}</dd>
            </>
          )}
          {conversation.closedAt && (
            <>
              <dt>{cs().endedAt}</dt>
              <dd>{formatDateTime(conversation.closedAt)}{conversation.closeBy ? format(cs().endedBy, { who: cs().closeBy[conversation.closeBy] }) : ''}</dd>
            </>
          )}
        </dl>
      </section>
      <Suspense fallback={null}>
        {canWrapUp && <WrapUpPanel sessionId={conversation.id} />}
        <ContactPanel conversation={conversation} chatName={visitorOwnName(visitor?.name, conversation.visitorDetails?.name)} />
      </Suspense>
      <LeftDetails conversation={conversation} />
      <section className="wb-panel" data-testid="csat">
        <h3>{cs().satisfaction}</h3>
        {rating ? (
          <div className="wb-csat">
            <span className="wb-csat__stars" aria-label={format(cs().stars, { stars: rating.stars })}>
              {'★'.repeat(rating.stars)}<span className="wb-csat__empty">{'★'.repeat(5 - rating.stars)}</span>
            </span>
            {rating.comment && <p className="wb-csat__comment">“{rating.comment}”</p>}
          </div>
        ) : (
          <p className="wb-panel__empty">{cs().notRated}</p>
        )}
      </section>
      <NotesPanel sessionId={conversation.id} authorName={authorName} />
    </aside>
  );
}

/**
 * What the visitor wrote about themselves (pre-chat or leave-a-message form) and, for a message
 * left when nobody could answer, how to reach them: they may not be on the page any more.
 */
function LeftDetails({ conversation }: { conversation: Conversation }) {
  const details = conversation.visitorDetails;
  if (!details && !conversation.messageLeftAt) return null;
  return (
    <section className="wb-panel" data-testid="visitor-details">
      <h3>{conversation.messageLeftAt ? cs().messageLeft : cs().preChatAnswers}</h3>
      {conversation.messageLeftAt && (
        <p className="wb-panel__empty">
          {format(details?.email || details?.phone ? cs().leftWhenNobodyWithContact : cs().leftWhenNobody, { time: formatDateTime(conversation.messageLeftAt) })}
        </p>
      )}
      <dl className="wb-facts">
        {details?.name && (
          <>
            <dt>{cs().name}</dt>
            <dd dir="auto">{details.name}</dd>
          </>
        )}
        {details?.email && (
          <>
            <dt>{cs().email}</dt>
            <dd><a href={`mailto:${encodeURIComponent(details.email).replace(/%40/g, '@')}`}>{details.email}</a></dd>
          </>
        )}
        {details?.phone && (
          <>
            <dt>{cs().phone}</dt>
            <dd><a href={`tel:${details.phone.replace(/[^0-9+]/g, '')}`}>{details.phone}</a></dd>
          </>
        )}
      </dl>
    </section>
  );
}
