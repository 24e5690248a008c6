import { MAX_TEXT_LENGTH, type CannedResponse } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { useFocusFirstError } from '../hooks/useFocusFirstError.ts';
import { bodyOfCannedDraft, cannedFormErrorsOf, checkCannedBody, draftOfCanned, emptyCannedDraft, type CannedDraft } from '../state/canned-form.ts';
import { unplacedErrors, type FieldErrors } from '../state/form-errors.ts';
import { FormAlert } from './FormAlert.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';
import { cannedStrings } from '../../canned/locales/index.ts';

const PLACED = ['shortcut', 'title', 'text'];

export interface CannedResponseFormProps {
  api: AdminApi;
  /** The response edited; a new one when undefined. */
  response?: CannedResponse;
  onSaved: (response: CannedResponse) => void;
  onCancel: () => void;
}

/** A canned response: the shortcut agents type after `/`, a title and the text inserted; checked here and by the server. */
export function CannedResponseForm({ api, response, onSaved, onCancel }: CannedResponseFormProps) {
  const [draft, setDraft] = useState<CannedDraft>(() => (response ? draftOfCanned(response) : emptyCannedDraft()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const [isSaving, setSaving] = useState(false);
  const { canned: t, common } = adminStrings();
  const canned = cannedStrings();
  const set = (patch: Partial<CannedDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A field's error goes once it is edited; the next submit checks again.
    const edited = Object.keys(patch);
    if (edited.some((key) => key in errors)) setErrors((current) => Object.fromEntries(Object.entries(current).filter(([path]) => !edited.includes(path))));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const body = bodyOfCannedDraft(draft);
    const found = checkCannedBody(body, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      onSaved(response ? await api.cannedResponses.update(response.id, body) : await api.cannedResponses.create(body));
    } catch (err) {
      setErrors(cannedFormErrorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  const shortcut = bodyOfCannedDraft(draft).shortcut.toLowerCase();

  return (
    <form ref={formRef} className="fd-admin-form fd-admin-canned-form" onSubmit={submit} noValidate aria-label={response ? format(t.editFormLabel, { shortcut: response.shortcut }) : t.newTitle}>
      <FormAlert messages={unplacedErrors(errors, PLACED)} />
      <div className="fd-admin-grid">
        <Field label={canned.shortcut} error={errors.shortcut} hint={shortcut ? format(t.shortcutTyped, { shortcut }) : t.shortcutHint}>
          <input name="shortcut" value={draft.shortcut} maxLength={33} autoComplete="off" spellCheck={false} onChange={(e) => set({ shortcut: e.target.value })} />
        </Field>
        <Field label={canned.title} error={errors.title} hint={t.titleHint}>
          <input name="title" value={draft.title} maxLength={100} onChange={(e) => set({ title: e.target.value })} />
        </Field>
      </div>
      <Field label={canned.text} error={errors.text} hint={format(t.textHint, { length: draft.text.length, max: MAX_TEXT_LENGTH })}>
        <textarea name="text" rows={6} value={draft.text} maxLength={MAX_TEXT_LENGTH} onChange={(e) => set({ text: e.target.value })} />
      </Field>
      <div className="fd-admin-actions">
        <Button type="submit" variant="primary" isBusy={isSaving}>{response ? t.save : t.create}</Button>
        <Button onClick={onCancel}>{common.cancel}</Button>
      </div>
    </form>
  );
}
