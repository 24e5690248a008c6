import type { ContactTimelineEntry } from '@frontdesk/sdk-agent';
import { formatDateTime } from '../../../app/format.ts';
import { Badge } from '../../../ui/index.ts';
import { contactStrings } from '../locales/index.ts';

/** Every conversation of the contact, newest first; the one on screen is marked. */
export function ContactTimeline({ entries, currentId }: { entries: ContactTimelineEntry[]; currentId: string }) {
  const t = contactStrings();
  const others = entries.filter((entry) => entry.id !== currentId);
  return (
    <section className="wb-panel" aria-label={t.conversations}>
      <h3>{t.conversations}</h3>
      {others.length === 0 ? (
        <p className="wb-panel__empty">{t.noConversations}</p>
      ) : (
        <ol className="wb-timeline" data-testid="contact-timeline">
          {entries.map((entry) => (
            <li key={entry.id} className="wb-timeline__item" aria-current={entry.id === currentId ? 'true' : undefined}>
              <div className="wb-timeline__meta">
                <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(entry.createdAt)}</time>
                <Badge tone={entry.status === 'open' ? 'success' : 'neutral'}>{entry.status === 'open' ? t.open : t.closed}</Badge>
                {entry.id === currentId && <span className="wb-timeline__current">{t.thisConversation}</span>}
              </div>
              <p className="wb-timeline__preview" dir="auto">{entry.preview ?? t.noMessages}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
