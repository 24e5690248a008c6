import type { CannedResponse } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { Button, Dialog, Field, useToast } from '../../../ui/index.ts';
import { cannedStrings } from '../locales/index.ts';

/**
 * The agent's own canned responses: the list (each deletable) and a form to add one, filled with
 * what the composer holds. `onChanged` reloads the composer's list.
 */
export function MyCannedDialog({ isOpen, onClose, responses, draftText, onChanged }: { isOpen: boolean; onClose: () => void; responses: readonly CannedResponse[]; draftText: string; onChanged: () => void }) {
  const t = cannedStrings();
  const client = useClient();
  const toast = useToast();
  const mine = responses.filter((r) => r.ownerAgentId !== null);
  const [shortcut, setShortcut] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    const result = await client.Chat.saveCannedResponse({ shortcut: shortcut.trim(), title: title.trim(), text: text ?? draftText });
    setIsBusy(false);
    if (result.status === 'error') return setError(result.errorMsg);
    setError(null);
    setShortcut('');
    setTitle('');
    setText(null);
    toast({ tone: 'success', message: format(t.saved, { shortcut: result.data.shortcut }) });
    onChanged();
  };

  return (
    <Dialog isOpen={isOpen} title={t.myResponses} onClose={onClose} footer={<Button onClick={onClose}>{t.close}</Button>}>
      <p className="wb-panel__hint">{t.myResponsesHint}</p>
      {mine.length === 0 ? (
        <p className="wb-panel__empty">{t.none}</p>
      ) : (
        <ul className="wb-my-canned" data-testid="my-canned">
          {mine.map((response) => (
            <li key={response.id} className="wb-my-canned__item">
              <span className="wb-canned__shortcut">/{response.shortcut}</span>
              <span className="wb-canned__title">{response.title}</span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={format(t.delete, { shortcut: response.shortcut })}
                onClick={async () => {
                  const result = await client.Chat.deleteCannedResponse({ id: response.id });
                  if (result.status === 'error') setError(result.errorMsg);
                  else onChanged();
                }}
              >
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="wb-my-canned__form" onSubmit={submit} data-testid="my-canned-form">
        <Field label={t.shortcut} hint={t.shortcutHint}><input required value={shortcut} maxLength={32} pattern="[A-Za-z0-9][A-Za-z0-9_\-]*" onChange={(e) => setShortcut(e.target.value)} /></Field>
        <Field label={t.title}><input required value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} /></Field>
        <Field label={t.text}><textarea required rows={3} value={text ?? draftText} onChange={(e) => setText(e.target.value)} /></Field>
        {error && <p className="fd-field__error" role="alert">{error}</p>}
        <Button type="submit" variant="primary" isBusy={isBusy}>{t.add}</Button>
      </form>
    </Dialog>
  );
}
