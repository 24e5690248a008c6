import { WEBHOOK_DELIVERY_STATUSES, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookSubscription } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Field, useToast, type BadgeTone } from '../../../ui/index.ts';
import { errorInfo, formErrorsOf, type FieldErrors } from '../state/form-errors.ts';
import { FormAlert } from './FormAlert.tsx';

const STATUS_TONE: Record<WebhookDeliveryStatus, BadgeTone> = { pending: 'info', failed: 'warning', delivered: 'success', exhausted: 'danger' };

/** The webhook delivery log with every attempt, one-delivery replay and time-range replay (SPEC M35). */
export function DeliveryLog({ api, subscriptions }: { api: AdminApi; subscriptions: readonly WebhookSubscription[] }) {
  const toast = useToast();
  const [subscriptionId, setSubscriptionId] = useState('');
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>([]);
  const [nextAfter, setNextAfter] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    async (after?: string) => {
      try {
        const page = await api.webhooks.deliveries({ subscriptionId: subscriptionId || undefined, status: status || undefined, after, limit: 20 });
        setDeliveries((current) => (after ? [...current, ...page.deliveries] : page.deliveries));
        setNextAfter(page.nextAfter);
        setError(undefined);
      } catch (err) {
        setError(errorInfo(err).message);
      }
    },
    [api, subscriptionId, status],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function replay(delivery: WebhookDelivery) {
    try {
      const replayed = await api.webhooks.replayDelivery(delivery.id);
      setDeliveries((current) => current.map((d) => (d.id === replayed.id ? replayed : d)));
      toast({ message: `Delivery of ${delivery.eventType} queued again`, tone: 'success' });
    } catch (err) {
      toast({ message: errorInfo(err).message, tone: 'danger' });
    }
  }

  const urlOf = (id: string) => subscriptions.find((s) => s.id === id)?.url ?? id;

  return (
    <section className="fd-admin-subsection" aria-labelledby="deliveries-title">
      <header className="fd-admin-page__header">
        <h3 id="deliveries-title">Delivery log</h3>
        <Button size="sm" onClick={() => void load()}>Refresh</Button>
      </header>
      <div className="fd-admin-row">
        <Field label="Subscription">
          <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
            <option value="">all</option>
            {subscriptions.map((s) => <option key={s.id} value={s.id}>{s.url}</option>)}
          </select>
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}>
            <option value="">all</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
      </div>
      <FormAlert messages={error ? [error] : []} />
      <div className="fd-table-wrap">
        <table className="fd-table fd-admin-deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th><th scope="col">Receiver</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col"><span className="fd-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {deliveries.length === 0 && <tr><td colSpan={6} className="fd-table__empty">No delivery.</td></tr>}
            {deliveries.map((d) => (
              <Fragment key={d.id}>
                <tr>
                  <td><strong>{d.eventType}</strong><br /><code className="fd-admin-muted">{d.eventId}</code></td>
                  <td className="fd-admin-clip">{urlOf(d.subscriptionId)}</td>
                  <td><Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>{d.nextAttemptAt && <><br /><span className="fd-admin-muted">next {new Date(d.nextAttemptAt).toLocaleTimeString()}</span></>}</td>
                  <td>
                    <Button size="sm" variant="ghost" aria-expanded={openId === d.id} onClick={() => setOpenId(openId === d.id ? undefined : d.id)}>
                      {d.attempts} {openId === d.id ? '▾' : '▸'}
                    </Button>
                  </td>
                  <td>{new Date(d.createdAt).toLocaleString()}</td>
                  <td><Button size="sm" onClick={() => void replay(d)} aria-label={`Replay ${d.eventType} ${d.id}`}>Replay</Button></td>
                </tr>
                {openId === d.id && (
                  <tr className="fd-admin-attempts">
                    <td colSpan={6}>
                      {d.attemptLog.length === 0 ? 'Not attempted yet.' : (
                        <ol>
                          {d.attemptLog.map((a) => (
                            <li key={a.id}>
                              {new Date(a.at).toLocaleString()} — {a.statusCode !== null ? `HTTP ${a.statusCode}` : `error: ${a.error ?? 'unknown'}`} in {a.latencyMs} ms
                              {a.responseExcerpt && <pre className="fd-admin-pre">{a.responseExcerpt}</pre>}
                            </li>
                          ))}
                        </ol>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {nextAfter && <Button size="sm" onClick={() => void load(nextAfter)}>Load more</Button>}
      <ReplayRange api={api} subscriptions={subscriptions} onDone={() => void load()} />
    </section>
  );
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function ReplayRange({ api, subscriptions, onDone }: { api: AdminApi; subscriptions: readonly WebhookSubscription[]; onDone: () => void }) {
  const toast = useToast();
  const [subscriptionId, setSubscriptionId] = useState('');
  const [from, setFrom] = useState(() => localInput(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [errors, setErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    const found: FieldErrors = {};
    if (!subscriptionId) found.subscriptionId = 'choose a subscription';
    if (Number.isNaN(fromMs)) found.fromMs = 'enter a start';
    if (Number.isNaN(toMs)) found.toMs = 'enter an end';
    else if (toMs < fromMs) found.toMs = 'the end must not be before the start';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const { count, nextFromMs } = await api.webhooks.replayEvents({ subscriptionId, fromMs, toMs });
      toast({ message: `${count} events queued again${nextFromMs ? ' (more remain: replay again from where it stopped)' : ''}`, tone: 'success' });
      onDone();
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  return (
    <form className="fd-admin-form" onSubmit={submit} noValidate aria-label="Replay a time range">
      <h4>Replay a time range</h4>
      <FormAlert messages={errors[''] ? [errors['']] : []} />
      <div className="fd-admin-row">
        <Field label="Subscription" error={errors.subscriptionId}>
          <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
            <option value="">(choose)</option>
            {subscriptions.map((s) => <option key={s.id} value={s.id}>{s.url}</option>)}
          </select>
        </Field>
        <Field label="From" error={errors.fromMs}>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label="To" error={errors.toMs}>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button type="submit">Replay events</Button>
      </div>
    </form>
  );
}
