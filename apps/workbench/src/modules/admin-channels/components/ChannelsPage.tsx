import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Field, useToast } from '../../../ui/index.ts';
import { useLoad } from '../../admin/hooks/useLoad.ts';
import { errorInfo, formErrorsOf, type FieldErrors } from '../../admin/state/form-errors.ts';
import { ChannelForm } from './ChannelForm.tsx';
import { FaqEditor } from './FaqEditor.tsx';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { ConnectChannelForm, ConnectionDetail } from './MessagingConnections.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { channelAdminStrings } from '../locales/index.ts';

/** Channels: pick one, change every setting and its FAQ; create and delete channels; connect WhatsApp, Messenger, Telegram or Viber. */
export function ChannelsPage({ api, onTryIt }: { api: AdminApi; onTryIt: (channelId: string) => void }) {
  const toast = useToast();
  const t = channelAdminStrings();
  const { common } = adminStrings();
  const channels = useLoad(() => api.channels.list());
  const queues = useLoad(() => api.queues.list());
  const connections = useLoad(() => api.connections.list());
  const [selectedId, setSelectedId] = useState<string>();
  const [newName, setNewName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const selected = channels.data?.find((c) => c.id === selectedId) ?? channels.data?.[0];
  const connection = connections.data?.find((c) => c.channelId === selected?.id);

  useEffect(() => {
    if (!selectedId && channels.data?.[0]) setSelectedId(channels.data[0].id);
  }, [channels.data, selectedId]);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!newName.trim()) return setErrors({ name: common.nameRequired });
    try {
      const channel = await api.channels.create({ name: newName.trim() });
      setNewName('');
      setErrors({});
      await channels.reload();
      setSelectedId(channel.id);
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  async function remove() {
    if (!selected || !window.confirm(format(t.deleteConfirm, { name: selected.name }))) return;
    try {
      await api.channels.remove(selected.id);
      setSelectedId(undefined);
      await channels.reload();
    } catch (err) {
      setErrors({ '': errorInfo(err).message });
    }
  }

  return (
    <section className="fd-admin-page" aria-labelledby="channels-title">
      <h2 id="channels-title">{t.title}</h2>
      <FormAlert messages={[channels.error, errors['']].filter((m): m is string => Boolean(m))} />
      <div className="fd-admin-split">
        <nav aria-label={t.title} className="fd-admin-sidelist">
          <ul>
            {(channels.data ?? []).map((c) => (
              <li key={c.id}>
                <button type="button" aria-current={c.id === selected?.id ? 'true' : undefined} onClick={() => setSelectedId(c.id)}>
                  {c.name} {c.isDefault && <Badge tone="info">{t.default}</Badge>}
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={create} noValidate aria-label={t.newChannelLabel}>
            <Field label={t.newChannel} error={errors.name}>
              <input value={newName} maxLength={100} onChange={(e) => setNewName(e.target.value)} placeholder={t.namePlaceholder} />
            </Field>
            <Button type="submit" size="sm" variant="primary">{t.addChannel}</Button>
          </form>
          <ConnectChannelForm
            api={api}
            onConnected={(channelId) => {
              void channels.reload();
              void connections.reload();
              setSelectedId(channelId);
            }}
          />
        </nav>
        {selected && (
          <div className="fd-admin-detail">
            <header className="fd-admin-page__header">
              <h3>
                {selected.name} <span className="fd-admin-muted">({selected.id})</span>
              </h3>
              <span className="fd-admin-inline">
                <Button onClick={() => onTryIt(selected.id)}>{adminStrings().tryIt.title}</Button>
                {!selected.isDefault && <Button variant="danger" onClick={() => void remove()}>{t.deleteChannel}</Button>}
              </span>
            </header>
            {connection ? <ConnectionDetail api={api} connection={connection} /> : <p className="fd-field__hint">{t.originsNote}</p>}
            <ChannelForm
              key={selected.id}
              api={api}
              channel={selected}
              queues={queues.data ?? []}
              onSaved={(saved) => {
                toast({ message: format(t.saved, { name: saved.name }), tone: 'success' });
                void channels.reload();
              }}
            />
            <FaqEditor api={api} channelId={selected.id} />
          </div>
        )}
      </div>
    </section>
  );
}
