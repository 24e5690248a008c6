import type { AdminApi, WrapUpLabel } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Badge, Button } from '../../../ui/index.ts';
import { useLoad } from '../../admin/hooks/useLoad.ts';
import { errorInfo } from '../../admin/state/form-errors.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { wrapUpStrings } from '../../wrap-up/locales/index.ts';

type Kind = WrapUpLabel['kind'];

/** The outcomes (disposition codes) and tags agents choose at wrap-up: add, rename by archiving, restore. */
export function WrapUpLabelsPage({ api }: { api: AdminApi }) {
  const t = wrapUpStrings();
  const labels = useLoad(() => api.wrapUpLabels.list());
  const [error, setError] = useState<string>();

  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      await labels.reload();
    } catch (err) {
      setError(errorInfo(err).message);
    }
  }

  const column = (kind: Kind, title: string, placeholder: string) => (
    <LabelColumn
      kind={kind}
      title={title}
      placeholder={placeholder}
      labels={(labels.data ?? []).filter((l) => l.kind === kind)}
      onAdd={(name) => run(() => api.wrapUpLabels.create({ kind, name }))}
      onArchive={(label) => run(() => api.wrapUpLabels.update(label.id, { isArchived: !label.isArchived }))}
    />
  );

  return (
    <section className="fd-admin-page" aria-labelledby="wrap-up-title">
      <header className="fd-admin-page__header">
        <h2 id="wrap-up-title">{t.pageTitle}</h2>
      </header>
      <p className="fd-admin-muted fd-admin-intro">{t.pageHint}</p>
      <FormAlert messages={[labels.error, error].filter((m): m is string => Boolean(m))} />
      <div className="fd-admin-wrap-up" data-testid="wrap-up-labels">
        {column('disposition', t.outcomes, t.newOutcome)}
        {column('tag', t.tagList, t.newTag)}
      </div>
    </section>
  );
}

function LabelColumn({ kind, title, placeholder, labels, onAdd, onArchive }: { kind: Kind; title: string; placeholder: string; labels: WrapUpLabel[]; onAdd: (name: string) => Promise<void>; onArchive: (label: WrapUpLabel) => Promise<void> }) {
  const t = wrapUpStrings();
  const [name, setName] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    await onAdd(name.trim());
    setName('');
  };
  return (
    <div className="fd-admin-wrap-up__column" data-kind={kind}>
      <h3>{title}</h3>
      {labels.length === 0 ? (
        <p className="fd-admin-muted">{t.none}</p>
      ) : (
        <ul className="fd-admin-wrap-up__list">
          {labels.map((label) => (
            <li key={label.id}>
              <span className={label.isArchived ? 'fd-admin-muted' : undefined}>{label.name}</span>
              {label.isArchived && <Badge tone="neutral">{t.archived}</Badge>}
              <Button size="sm" variant="ghost" onClick={() => void onArchive(label)} aria-label={`${label.isArchived ? t.restore : t.archive} ${label.name}`}>
                {label.isArchived ? t.restore : t.archive}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="fd-admin-inline" onSubmit={submit}>
        <input className="fd-control" aria-label={placeholder} placeholder={placeholder} maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        <Button type="submit" size="sm">{t.add}</Button>
      </form>
    </div>
  );
}
