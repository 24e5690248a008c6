import { WEBHOOK_DELIVERY_STATUSES, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookSubscription } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Field, useToast, type BadgeTone } from '../../../ui/index.ts';
import { errorInfo, formErrorsOf, type FieldErrors } from '../state/form-errors.ts';
import { FormAlert } from './FormAlert.tsx';
import { formatDateTime, formatTime } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

const STATUS_TONE: Record<WebhookDeliveryStatus, BadgeTone> = { pending: 'info', failed: 'warning', delivered: 'success', exhausted: 'danger' };

/** The webhook delivery log with every attempt, one-delivery replay and time-range replay (SPEC M35). */
export function DeliveryLog({ api, subscriptions }: { api: AdminApi; subscriptions: readonly WebhookSubscription[] }) {
  const toast = useToast();
  const { deliveries: t, common } = adminStrings();
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
      toast({ message: format(t.queuedAgain, { event: delivery.eventType }), tone: 'success' });
    } catch (err) {
      toast({ message: errorInfo(err).message, tone: 'danger' });
    }
  }

  const urlOf = (id: string) => subscriptions.find((s) => s.id === id)?.url ?? id;

  return (
    <section className="fd-admin-subsection" aria-labelledby="deliveries-title">
      <header className="fd-admin-page__header">
        <h3 id="deliveries-title">{t.title}</h3>
        <Button size="sm" onClick={() => void load()}>{t.refresh}</Button>
      </header>
      <div className="fd-admin-row">
        <Field label={t.subscription}>
          <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
            <option value="">{common.all}</option>
            {subscriptions.map((s) => <option key={s.id} value={s.id}>{s.url}</option>)}
          </select>
        </Field>
        <Field label={t.status}>
          <select value={status} onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}>
            <option value="">{common.all}</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{t.statuses[s]}</option>)}
          </select>
        </Field>
      </div>
      <FormAlert messages={error ? [error] : []} />
      <div className="fd-table-wrap">
        <table className="fd-table fd-admin-deliveries">
          <thead>
            <tr>
              <th scope="col">{t.event}</th><th scope="col">{t.receiver}</th><th scope="col">{t.status}</th><th scope="col">{t.attempts}</th><th scope="col">{t.created}</th><th scope="col"><span className="fd-visually-hidden">{common.actions}</span></th>
            </tr>
          </thead>
          <tbody>
            {deliveries.length === 0 && <tr><td colSpan={6} className="fd-table__empty">{t.none}</td></tr>}
            {deliveries.map((d) => (
              <Fragment key={d.id}>
                <tr>
                  <td><strong>{d.eventType}</strong><br /><code className="fd-admin-muted">{d.eventId}</code></td>
                  <td className="fd-admin-clip">{urlOf(d.subscriptionId)}</td>
                  <td><Badge tone={STATUS_TONE[d.status]}>{t.statuses[d.status]}</Badge>{d.nextAttemptAt && <><br /><span className="fd-admin-muted">{format(t.next, { time: formatTime(d.nextAttemptAt) })}</span></>}</td>
                  <td>
                    <Button size="sm" variant="ghost" aria-expanded={openId === d.id} onClick={() => setOpenId(openId === d.id ? undefined : d.id)}>
                      {d.attempts} {openId === d.id ? '▾' : '▸'}
                    </Button>
                  </td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  <td><Button size="sm" onClick={() => void replay(d)} aria-label={format(t.replayLabel, { event: d.eventType, id: d.id })}>{t.replay}</Button></td>
                </tr>
                {openId === d.id && (
                  <tr className="fd-admin-attempts">
                    <td colSpan={6}>
                      {d.attemptLog.length === 0 ? t.notAttempted : (
                        <ol>
                          {d.attemptLog.map((a) => (
                            <li key={a.id}>
                              {formatDateTime(a.at)} — {a.statusCode !== null ? `HTTP ${a.statusCode}` : format(t.error, { error: a.error ?? t.unknown })} {format(t.inMs, { ms: a.latencyMs })}
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
      {nextAfter && <Button size="sm" onClick={() => void load(nextAfter)}>{t.loadMore}</Button>}
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
  const { deliveries: t, common } = adminStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    const found: FieldErrors = {};
    if (!subscriptionId) found.subscriptionId = t.chooseSubscription;
    if (Number.isNaN(fromMs)) found.fromMs = t.enterStart;
    if (Number.isNaN(toMs)) found.toMs = t.enterEnd;
    else if (toMs < fromMs) found.toMs = t.endBeforeStart;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const { count, nextFromMs } = await api.webhooks.replayEvents({ subscriptionId, fromMs, toMs });
      toast({ message: `${format(t.rangeQueued, { count })}${nextFromMs ? t.moreRemain : ''}`, tone: 'success' });
      onDone();
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  return (
    <form className="fd-admin-form" onSubmit={submit} noValidate aria-label={t.rangeTitle}>
      <h4>{t.rangeTitle}</h4>
      <FormAlert messages={errors[''] ? [errors['']] : []} />
      <div className="fd-admin-row">
        <Field label={t.subscription} error={errors.subscriptionId}>
          <select value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)}>
            <option value="">{common.choose}</option>
            {subscriptions.map((s) => <option key={s.id} value={s.id}>{s.url}</option>)}
          </select>
        </Field>
        <Field label={t.from} error={errors.fromMs}>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label={t.to} error={errors.toMs}>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button type="submit">{t.replayEvents}</Button>
      </div>
    </form>
  );
}
