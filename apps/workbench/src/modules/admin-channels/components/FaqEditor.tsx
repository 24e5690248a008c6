import type { ChannelFaq } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field, Table } from '../../../ui/index.ts';
import { useLoad } from '../../admin/hooks/useLoad.ts';
import { errorInfo, formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { listOf } from '../../admin/state/numbers.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { adminStrings } from '../../admin/locales/index.ts';
import { channelAdminStrings } from '../locales/index.ts';

interface FaqDraft { id?: string; question: string; keywords: string; answer: string; locale: string }
const EMPTY: FaqDraft = { question: '', keywords: '', answer: '', locale: '' };

/** The FAQs a channel's bot answers (SPEC M10). */
export function FaqEditor({ api, channelId }: { api: AdminApi; channelId: string }) {
  const faqs = useLoad(() => api.channels.faqs(channelId), channelId);
  const [draft, setDraft] = useState<FaqDraft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const t = channelAdminStrings().faq;
  const { common } = adminStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!draft.question.trim()) found.question = t.questionRequired;
    if (!draft.answer.trim()) found.answer = t.answerRequired;
    if (draft.locale && draft.locale.trim().length < 2) found.locale = t.badLocale;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = { question: draft.question.trim(), keywords: listOf(draft.keywords), answer: draft.answer.trim() };
    try {
      if (draft.id) await api.channels.updateFaq(channelId, draft.id, { ...body, locale: draft.locale.trim() || null });
      else await api.channels.createFaq(channelId, { ...body, ...(draft.locale.trim() ? { locale: draft.locale.trim() } : {}) });
      setDraft(EMPTY);
      await faqs.reload();
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  async function remove(faq: ChannelFaq) {
    try {
      await api.channels.removeFaq(channelId, faq.id);
      await faqs.reload();
    } catch (err) {
      setErrors({ '': errorInfo(err).message });
    }
  }

  return (
    <section className="fd-admin-subsection" aria-labelledby={`faq-${channelId}`}>
      <h3 id={`faq-${channelId}`}>{t.title}</h3>
      <Table
        rows={faqs.data ?? []}
        rowKey={(f) => f.id}
        empty={t.none}
        columns={[
          { key: 'q', header: t.question, render: (f) => f.question },
          { key: 'k', header: t.keywords, render: (f) => f.keywords.join(', ') || '—' },
          { key: 'a', header: t.answer, render: (f) => <span className="fd-admin-clip">{f.answer}</span> },
          { key: 'l', header: t.locale, render: (f) => f.locale ?? '—' },
          {
            key: 'x',
            header: <span className="fd-visually-hidden">{common.actions}</span>,
            align: 'end',
            render: (f) => (
              <span className="fd-admin-inline">
                <Button size="sm" onClick={() => setDraft({ id: f.id, question: f.question, keywords: f.keywords.join(', '), answer: f.answer, locale: f.locale ?? '' })}>{common.edit}</Button>
                <Button size="sm" variant="danger" onClick={() => void remove(f)}>{common.delete}</Button>
              </span>
            ),
          },
        ]}
      />
      <form className="fd-admin-form" onSubmit={submit} noValidate aria-label={draft.id ? t.editLabel : t.newLabel}>
        <FormAlert messages={unplacedErrors(errors, ['question', 'keywords', 'answer', 'locale'])} />
        <div className="fd-admin-grid">
          <Field label={t.question} error={errors.question}>
            <input value={draft.question} maxLength={500} onChange={(e) => setDraft({ ...draft, question: e.target.value })} />
          </Field>
          <Field label={t.keywords} error={errors.keywords} hint={t.keywordsHint}>
            <input value={draft.keywords} onChange={(e) => setDraft({ ...draft, keywords: e.target.value })} />
          </Field>
          <Field label={t.locale} error={errors.locale} hint={t.localeHint}>
            <input value={draft.locale} maxLength={16} onChange={(e) => setDraft({ ...draft, locale: e.target.value })} />
          </Field>
        </div>
        <Field label={t.answer} error={errors.answer}>
          <textarea value={draft.answer} maxLength={5000} onChange={(e) => setDraft({ ...draft, answer: e.target.value })} />
        </Field>
        <div className="fd-admin-actions">
          <Button type="submit" variant="primary">{draft.id ? t.save : t.add}</Button>
          {draft.id && <Button onClick={() => setDraft(EMPTY)}>{common.cancel}</Button>}
        </div>
      </form>
    </section>
  );
}
