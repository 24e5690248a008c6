import type { Conversation } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { formatDateTime } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { Badge, Button, useToast } from '../../../ui/index.ts';
import { useStyles } from '../../../ui/useStyles.ts';
import contactsCss from '../contacts.css?inline';
import { useContact } from '../hooks/use-contact.ts';
import { contactStrings } from '../locales/index.ts';
import { ContactEditForm } from './ContactEditForm.tsx';
import { ContactTimeline } from './ContactTimeline.tsx';
import { MergeContactDialog } from './MergeContactDialog.tsx';

/**
 * The visitor's contact beside the conversation: who they are (editable), the business's
 * attributes, where and on what they were last seen, and their other conversations. A contact
 * without a name shows the name the chat knows (`chatName`), which the edit form offers to keep.
 */
export function ContactPanel({ conversation, chatName }: { conversation: Conversation; chatName: string | null }) {
  useStyles('fd-contacts-styles', contactsCss);
  const t = contactStrings();
  const toast = useToast();
  const { contact, timeline, error, update, merge, search } = useContact(conversation.visitorId, `${conversation.id}:${conversation.status}`);
  const [isEditing, setIsEditing] = useState(false);
  const [isMerging, setIsMerging] = useState(false);

  if (error) return <section className="wb-panel" data-testid="contact-panel"><p className="wb-panel__empty" role="alert">{format(t.loadFailed, { error })}</p></section>;
  if (!contact) return null;

  const facts: [label: string, value: string | null, hint?: string][] = [
    [t.currentPage, contact.pageUrl],
    [t.referrer, contact.referrer],
    [t.browser, contact.browser],
    [t.os, contact.os],
    [t.language, contact.language],
    [t.location, contact.location, t.locationHint],
    [t.timeZone, contact.timeZone],
    [t.firstSeen, formatDateTime(contact.firstSeenAt)],
    [t.lastSeen, formatDateTime(contact.lastSeenAt)],
  ];
  const attributes = Object.entries(contact.attributes);

  return (
    <>
      <section className="wb-panel" data-testid="contact-panel" aria-labelledby={`contact-${contact.id}`}>
        <div className="wb-panel__head">
          <h3 id={`contact-${contact.id}`}>{t.contact}</h3>
          {!isEditing && (
            <span className="wb-panel__actions">
              <Button size="sm" variant="ghost" onClick={() => setIsEditing(true)}>{t.edit}</Button>
              <Button size="sm" variant="ghost" onClick={() => setIsMerging(true)}>{t.merge}</Button>
            </span>
          )}
        </div>
        {isEditing ? (
          <ContactEditForm
            contact={contact}
            suggestedName={chatName}
            onCancel={() => setIsEditing(false)}
            onSave={async (patch) => {
              const failure = await update(patch);
              if (!failure) {
                setIsEditing(false);
                toast({ tone: 'success', message: t.saved });
              }
              return failure;
            }}
          />
        ) : (
          <>
            <p className="wb-side__name" data-testid="contact-name">{contact.name ?? chatName ?? t.noName}</p>
            <dl className="wb-facts" data-testid="contact-profile">
              {contact.email && <><dt>{t.email}</dt><dd>{contact.email}</dd></>}
              {contact.phone && <><dt>{t.phone}</dt><dd>{contact.phone}</dd></>}
            </dl>
            <h4 className="wb-panel__sub">{t.attributes}</h4>
            {attributes.length === 0 ? (
              <p className="wb-panel__empty">{t.noAttributes}</p>
            ) : (
              <dl className="wb-facts" data-testid="contact-attributes">
                {attributes.map(([key, value]) => (
                  <div key={key} className="wb-facts__row">
                    <dt>{key}</dt>
                    <dd>{String(value)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </>
        )}
        <dl className="wb-facts" data-testid="contact-visit">
          {facts.map(([label, value, hint]) =>
            value ? (
              <div key={label} className="wb-facts__row">
                <dt>{label}</dt>
                <dd title={hint}>{value}</dd>
              </div>
            ) : null,
          )}
        </dl>
        {contact.visitors.length > 1 && <p className="wb-panel__hint"><Badge tone="neutral">{t.visitors}: {contact.visitors.length}</Badge></p>}
      </section>
      <ContactTimeline entries={timeline} currentId={conversation.id} />
      <MergeContactDialog isOpen={isMerging} onClose={() => setIsMerging(false)} search={search} onMerge={async (otherId) => {
        const failure = await merge(otherId);
        if (!failure) {
          setIsMerging(false);
          toast({ tone: 'success', message: t.merged });
        }
        return failure;
      }} />
    </>
  );
}
