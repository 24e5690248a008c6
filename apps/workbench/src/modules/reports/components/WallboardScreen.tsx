import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useMemo, useState } from 'react';
import { format, workbenchLocaleTag } from '../../../app/locale.ts';
import { useStyles } from '../../../ui/useStyles.ts';
import { durationText } from '../../supervisor/state/format.ts';
import { useWallboard } from '../hooks/use-wallboard.ts';
import { reportStrings } from '../locales/index.ts';
import reportsCss from '../reports.css?inline';
import { browserTimeZone, reportFormat } from '../state/report-format.ts';

const SERVICE_LEVEL_SECONDS = 20;

/** Counts on between pushes: the oldest wait grows every second while someone waits. */
function useTick(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The wall screen (SPEC M41): service level today, waiting now, the oldest wait, agents by status
 * and each queue, in type large enough to read across a room. Pushed by the server on every
 * routing change; the clock here only counts the waits on between pushes.
 */
export function WallboardScreen({ client }: { client: AgentClient }) {
  useStyles('fd-reports-styles', reportsCss);
  const t = reportStrings();
  const fmt = useMemo(() => reportFormat(t, workbenchLocaleTag()), [t]);
  const count = (n: number | undefined) => (n === undefined ? '—' : fmt.count(n));
  const tz = browserTimeZone();
  const { wallboard: w, receivedAt, error } = useWallboard(client, tz, SERVICE_LEVEL_SECONDS);
  const now = useTick(1000);
  const since = Math.max(0, now - receivedAt);
  const oldest = w && w.waiting > 0 ? durationText(w.oldestWaitMs + since) : '—';
  const slTone = w?.today.serviceLevel == null ? '' : w.today.serviceLevel >= 0.8 ? 'fd-wall-good' : w.today.serviceLevel >= 0.6 ? 'fd-wall-warn' : 'fd-wall-bad';
  return (
    <div className="fd-wall" data-testid="wallboard">
      <header className="fd-wall-head">
        <h1>{t.wallboard}</h1>
        <p>{format(t.wallNote, { tz: w?.tz ?? tz, seconds: w?.serviceLevelSeconds ?? SERVICE_LEVEL_SECONDS })}</p>
      </header>
      {error && <p className="fd-wall-error" role="alert">{format(t.couldNotLoadWall, { error })}</p>}
      <dl className="fd-wall-tiles">
        <div className={slTone}><dt>{t.serviceLevelToday}</dt><dd data-testid="wall-service-level">{w ? fmt.percent(w.today.serviceLevel) : '—'}</dd></div>
        <div className={w && w.waiting > 0 ? 'fd-wall-bad' : ''}><dt>{t.waitingNow}</dt><dd data-testid="wall-waiting">{count(w?.waiting)}</dd></div>
        <div><dt>{t.oldestWaiting}</dt><dd data-testid="wall-oldest">{oldest}</dd></div>
        <div><dt>{t.inConversation}</dt><dd data-testid="wall-handling">{count(w?.handlingNow)}</dd></div>
        <div><dt>{t.answeredToday}</dt><dd data-testid="wall-answered">{count(w?.today.answered)}</dd></div>
        <div><dt>{t.abandonedToday}</dt><dd data-testid="wall-abandoned">{count(w?.today.abandoned)}</dd></div>
      </dl>
      <section aria-label={t.agentsByStatus} className="fd-wall-agents">
        {(['free', 'busy', 'wrap_up', 'not_ready', 'rest'] as const).map((status) => (
          <div key={status} className={`fd-wall-agent fd-wall-agent--${status}`}>
            <span className="fd-wall-agent__count" data-testid={`wall-agents-${status}`}>{count(w?.agentsByStatus[status])}</span>
            <span className="fd-wall-agent__label">{t.statuses[status]}</span>
          </div>
        ))}
      </section>
      <table className="fd-wall-queues">
        <caption>{t.queues}</caption>
        <thead>
          <tr><th scope="col">{t.colQueue}</th><th scope="col">{t.colWaiting}</th><th scope="col">{t.colOldest}</th><th scope="col">{t.colFreeIn}</th><th scope="col">{t.colSlToday}</th><th scope="col">{t.colAnswered}</th><th scope="col">{t.colAbandoned}</th></tr>
        </thead>
        <tbody>
          {(w?.queues ?? []).map((q) => (
            <tr key={q.queueId}>
              <th scope="row">{q.name}</th>
              <td data-testid={`wall-queue-waiting-${q.queueId}`} className={q.waiting > 0 ? 'fd-wall-bad' : undefined}>{fmt.count(q.waiting)}</td>
              <td>{q.waiting > 0 ? durationText(q.oldestWaitMs + since) : '—'}</td>
              <td>{fmt.count(q.freeAgents)} / {fmt.count(q.signedInAgents)}</td>
              <td data-testid={`wall-queue-sl-${q.queueId}`}>{fmt.percent(q.today.serviceLevel)}</td>
              <td data-testid={`wall-queue-answered-${q.queueId}`}>{fmt.count(q.today.answered)}</td>
              <td>{fmt.count(q.today.abandoned)}</td>
            </tr>
          ))}
          {w && w.queues.length === 0 && <tr><td colSpan={7}>{t.noQueue}</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
