import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import { useStyles } from '../../../ui/useStyles.ts';
import { durationText } from '../../supervisor/state/format.ts';
import { useWallboard } from '../hooks/use-wallboard.ts';
import reportsCss from '../reports.css?inline';
import { browserTimeZone, percentText } from '../state/report-format.ts';

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
  const tz = browserTimeZone();
  const { wallboard: w, receivedAt, error } = useWallboard(client, tz, SERVICE_LEVEL_SECONDS);
  const now = useTick(1000);
  const since = Math.max(0, now - receivedAt);
  const oldest = w && w.waiting > 0 ? durationText(w.oldestWaitMs + since) : '—';
  const slTone = w?.today.serviceLevel == null ? '' : w.today.serviceLevel >= 0.8 ? 'fd-wall-good' : w.today.serviceLevel >= 0.6 ? 'fd-wall-warn' : 'fd-wall-bad';
  return (
    <div className="fd-wall" data-testid="wallboard">
      <header className="fd-wall-head">
        <h1>Wallboard</h1>
        <p>Today ({w?.tz ?? tz}) · service level = answered within {w?.serviceLevelSeconds ?? SERVICE_LEVEL_SECONDS} s ÷ (answered + abandoned) of ended conversations</p>
      </header>
      {error && <p className="fd-wall-error" role="alert">Could not load the wallboard: {error}</p>}
      <dl className="fd-wall-tiles">
        <div className={slTone}><dt>Service level today</dt><dd data-testid="wall-service-level">{w ? percentText(w.today.serviceLevel) : '—'}</dd></div>
        <div className={w && w.waiting > 0 ? 'fd-wall-bad' : ''}><dt>Waiting now</dt><dd data-testid="wall-waiting">{w?.waiting ?? '—'}</dd></div>
        <div><dt>Oldest waiting</dt><dd data-testid="wall-oldest">{oldest}</dd></div>
        <div><dt>In conversation</dt><dd data-testid="wall-handling">{w?.handlingNow ?? '—'}</dd></div>
        <div><dt>Answered today</dt><dd data-testid="wall-answered">{w?.today.answered ?? '—'}</dd></div>
        <div><dt>Abandoned today</dt><dd data-testid="wall-abandoned">{w?.today.abandoned ?? '—'}</dd></div>
      </dl>
      <section aria-label="Agents by status" className="fd-wall-agents">
        {(['free', 'busy', 'wrap_up', 'not_ready', 'rest'] as const).map((status) => (
          <div key={status} className={`fd-wall-agent fd-wall-agent--${status}`}>
            <span className="fd-wall-agent__count" data-testid={`wall-agents-${status}`}>{w?.agentsByStatus[status] ?? '—'}</span>
            <span className="fd-wall-agent__label">{status === 'wrap_up' ? 'wrap-up' : status === 'not_ready' ? 'not ready' : status}</span>
          </div>
        ))}
      </section>
      <table className="fd-wall-queues">
        <caption>Queues</caption>
        <thead>
          <tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Oldest</th><th scope="col">Free / in</th><th scope="col">SL today</th><th scope="col">Answered</th><th scope="col">Abandoned</th></tr>
        </thead>
        <tbody>
          {(w?.queues ?? []).map((q) => (
            <tr key={q.queueId}>
              <th scope="row">{q.name}</th>
              <td data-testid={`wall-queue-waiting-${q.queueId}`} className={q.waiting > 0 ? 'fd-wall-bad' : undefined}>{q.waiting}</td>
              <td>{q.waiting > 0 ? durationText(q.oldestWaitMs + since) : '—'}</td>
              <td>{q.freeAgents} / {q.signedInAgents}</td>
              <td data-testid={`wall-queue-sl-${q.queueId}`}>{percentText(q.today.serviceLevel)}</td>
              <td data-testid={`wall-queue-answered-${q.queueId}`}>{q.today.answered}</td>
              <td>{q.today.abandoned}</td>
            </tr>
          ))}
          {w && w.queues.length === 0 && <tr><td colSpan={7}>No queue: conversations are claimed by hand.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
