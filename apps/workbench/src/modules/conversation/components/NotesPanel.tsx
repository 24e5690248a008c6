import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../app/format.ts';
import { Button } from '../../../ui/index.ts';
import { useNotes } from '../hooks/use-notes.ts';
import { useTransferNotes } from '../hooks/use-transfer-notes.ts';
import { conversationStrings as cs } from '../locales/index.ts';

/** Internal notes: for the team only, never shown to the visitor. */
export function NotesPanel({ sessionId, authorName }: { sessionId: string; authorName: (agentId: string | null) => string }) {
  const { notes, error, addNote } = useNotes(sessionId);
  const transferNotes = useTransferNotes(sessionId);
  const [draft, setDraft] = useState('');
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.trim()) return;
    setIsBusy(true);
    if (await addNote(draft.trim())) setDraft('');
    setIsBusy(false);
  }

  return (
    <section className="wb-panel" aria-labelledby={`notes-${sessionId}`}>
      <h3 id={`notes-${sessionId}`}>{cs().notes}</h3>
      <p className="wb-panel__hint">{cs().notesHint}</p>
      {transferNotes.length > 0 && (
        <ul className="wb-notes" data-testid="transfer-notes">
          {transferNotes.map((note) => (
            <li key={note.at} className="wb-note wb-note--transfer">
              <p className="wb-note__text" dir="auto">{note.note}</p>
              <span className="wb-note__meta">{cs().transferNoteLabel} · {formatDateTime(note.at)}</span>
            </li>
          ))}
        </ul>
      )}
      {notes.length === 0 && transferNotes.length === 0 ? (
        <p className="wb-panel__empty">{cs().noNotes}</p>
      ) : notes.length === 0 ? null : (
        <ul className="wb-notes" data-testid="notes">
          {notes.map((note) => (
            <li key={note.id} className="wb-note">
              <p className="wb-note__text" dir="auto">{note.text}</p>
              <span className="wb-note__meta">{authorName(note.authorId)} · {formatDateTime(note.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="wb-notes__form">
        <label className="fd-visually-hidden" htmlFor={`note-draft-${sessionId}`}>{cs().newNote}</label>
        <textarea id={`note-draft-${sessionId}`} className="fd-control" rows={2} value={draft} maxLength={4000} placeholder={cs().notePlaceholder} onChange={(e) => setDraft(e.target.value)} data-testid="note-draft" />
        {error && <p className="fd-field__error" role="alert">{error}</p>}
        <Button type="submit" size="sm" isBusy={isBusy} disabled={!draft.trim()}>{cs().addNote}</Button>
      </form>
    </section>
  );
}
