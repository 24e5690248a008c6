import type { Contact, UpdateContactBody } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { format } from '../../../app/locale.ts';
import { Button, Field } from '../../../ui/index.ts';
import { contactStrings } from '../locales/index.ts';
import { draftOf, patchOf } from '../state/contact-draft.ts';

/** Name, email, phone and attributes of a contact, edited in place; the server checks every value. */
export function ContactEditForm({ contact, suggestedName, onSave, onCancel }: { contact: Contact; suggestedName: string | null; onSave: (patch: UpdateContactBody) => Promise<string | null>; onCancel: () => void }) {
  const t = contactStrings();
  // A contact without a name: the form starts with the one the chat knows (saved only with the form).
  const [draft, setDraft] = useState(() => ({ ...draftOf(contact), name: contact.name ?? suggestedName ?? '' }));
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch = patchOf(contact, draft);
    if (Object.keys(patch).length === 0) return onCancel();
    setIsBusy(true);
    setError(await onSave(patch));
    setIsBusy(false);
  };
  const setAttribute = (index: number, part: 'key' | 'value', text: string) =>
    setDraft((d) => ({ ...d, attributes: d.attributes.map((a, i) => (i === index ? { ...a, [part]: text } : a)) }));

  return (
    <form className="wb-contact-form" onSubmit={submit} data-testid="contact-form">
      <Field label={t.name}><input value={draft.name} maxLength={100} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></Field>
      <Field label={t.email}><input type="email" value={draft.email} maxLength={254} onChange={(e) => setDraft({ ...draft, email: e.target.value })} /></Field>
      <Field label={t.phone}><input type="tel" value={draft.phone} maxLength={32} onChange={(e) => setDraft({ ...draft, phone: e.target.value })} /></Field>
      <fieldset className="wb-contact-form__attributes">
        <legend>{t.attributes}</legend>
        {draft.attributes.map((attribute, index) => (
          <div key={index} className="wb-contact-form__attribute">
            <input className="fd-control" aria-label={t.attributeName} value={attribute.key} maxLength={64} onChange={(e) => setAttribute(index, 'key', e.target.value)} />
            <input className="fd-control" aria-label={t.attributeValue} value={attribute.value} maxLength={500} onChange={(e) => setAttribute(index, 'value', e.target.value)} />
            <Button size="sm" variant="ghost" aria-label={format(t.removeAttribute, { name: attribute.key })} onClick={() => setDraft((d) => ({ ...d, attributes: d.attributes.filter((_, i) => i !== index) }))}>×</Button>
          </div>
        ))}
        <Button size="sm" variant="ghost" onClick={() => setDraft((d) => ({ ...d, attributes: [...d.attributes, { key: '', value: '' }] }))}>{t.addAttribute}</Button>
      </fieldset>
      {error && <p className="fd-field__error" role="alert">{error}</p>}
      <div className="wb-contact-form__actions">
        <Button onClick={onCancel}>{t.cancel}</Button>
        <Button type="submit" variant="primary" isBusy={isBusy}>{t.save}</Button>
      </div>
    </form>
  );
}
