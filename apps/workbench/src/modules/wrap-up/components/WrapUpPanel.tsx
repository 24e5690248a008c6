import { useEffect, useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { Button, Field, useToast } from '../../../ui/index.ts';
import { useWrapUp } from '../hooks/use-wrap-up.ts';
import { wrapUpStrings } from '../locales/index.ts';

/** The outcome, tags and note of the agent's conversation, from the labels the admins keep. */
export function WrapUpPanel({ sessionId }: { sessionId: string }) {
  const t = wrapUpStrings();
  const toast = useToast();
  const { labels, wrapUp, isLoaded, save } = useWrapUp(sessionId);
  const [dispositionId, setDispositionId] = useState('');
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    setDispositionId(wrapUp?.disposition?.id ?? '');
    setTagIds(wrapUp?.tags.map((tag) => tag.id) ?? []);
    setNote(wrapUp?.note ?? '');
  }, [wrapUp]);

  if (!isLoaded) return null;
  // Archived labels are offered only where this conversation already has them.
  const offered = (kind: 'disposition' | 'tag') => labels.filter((l) => l.kind === kind && (!l.isArchived || l.id === dispositionId || tagIds.includes(l.id)));
  const dispositions = offered('disposition');
  const tags = offered('tag');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    const failure = await save({ dispositionId: dispositionId || null, tagIds, note });
    setIsBusy(false);
    setError(failure);
    if (!failure) toast({ tone: 'success', message: t.saved });
  };

  return (
    <section className="wb-panel" data-testid="wrap-up" aria-labelledby={`wrap-up-${sessionId}`}>
      <h3 id={`wrap-up-${sessionId}`}>{t.wrapUp}</h3>
      {dispositions.length === 0 && tags.length === 0 ? (
        <p className="wb-panel__empty">{t.noLabels}</p>
      ) : (
        <form className="wb-wrap-up" onSubmit={submit}>
          {dispositions.length > 0 && (
            <Field label={t.disposition}>
              <select value={dispositionId} onChange={(e) => setDispositionId(e.target.value)}>
                <option value="">{t.noDisposition}</option>
                {dispositions.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
              </select>
            </Field>
          )}
          {tags.length > 0 && (
            <fieldset className="wb-wrap-up__tags">
              <legend>{t.tags}</legend>
              {tags.map((tag) => (
                <label key={tag.id} className="wb-wrap-up__tag">
                  <input type="checkbox" checked={tagIds.includes(tag.id)} onChange={(e) => setTagIds((ids) => (e.target.checked ? [...ids, tag.id] : ids.filter((id) => id !== tag.id)))} />
                  {tag.name}
                </label>
              ))}
            </fieldset>
          )}
          <Field label={t.note}><textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} /></Field>
          {error && <p className="fd-field__error" role="alert">{error}</p>}
          <div className="wb-wrap-up__actions">
            {wrapUp && <span className="wb-panel__hint">{format(t.savedBy, { time: formatDateTime(wrapUp.updatedAt) })}</span>}
            <Button type="submit" size="sm" variant="primary" isBusy={isBusy}>{t.save}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
