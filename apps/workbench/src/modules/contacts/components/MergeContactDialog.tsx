import type { Contact } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../../app/format.ts';
import { Button, Dialog, Field } from '../../../ui/index.ts';
import { contactStrings } from '../locales/index.ts';

/** Finds another contact by name, email or phone, and merges it into this one once chosen. */
export function MergeContactDialog({ isOpen, onClose, search, onMerge }: { isOpen: boolean; onClose: () => void; search: (query: string) => Promise<Contact[]>; onMerge: (otherId: string) => Promise<string | null> }) {
  const t = contactStrings();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Contact[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    if (!isOpen) return;
    let isCurrent = true;
    const timer = setTimeout(() => void search(query).then((contacts) => isCurrent && setFound(contacts)), 200);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [isOpen, query, search]);

  return (
    <Dialog
      isOpen={isOpen}
      title={t.mergeTitle}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button
            variant="primary"
            disabled={!chosen}
            isBusy={isBusy}
            onClick={async () => {
              if (!chosen) return;
              setIsBusy(true);
              setError(await onMerge(chosen));
              setIsBusy(false);
            }}
          >
            {t.mergeInto}
          </Button>
        </>
      }
    >
      <p className="wb-panel__hint">{t.mergeHint}</p>
      <Field label={t.mergeSearch}><input type="search" value={query} maxLength={100} onChange={(e) => setQuery(e.target.value)} /></Field>
      {found.length === 0 ? (
        <p className="wb-panel__empty">{t.mergeNone}</p>
      ) : (
        <ul className="wb-merge-list" role="listbox" aria-label={t.mergeSearch}>
          {found.map((contact) => (
            <li key={contact.id} role="option" aria-selected={chosen === contact.id} tabIndex={0} className="wb-merge-list__item" onClick={() => setChosen(contact.id)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setChosen(contact.id)}>
              <strong>{contact.name ?? contact.email ?? contact.phone ?? contact.visitors[0]?.name ?? contact.id}</strong>
              <span className="wb-merge-list__meta">{[contact.email, contact.phone, formatDateTime(contact.lastSeenAt)].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="fd-field__error" role="alert">{error}</p>}
    </Dialog>
  );
}
