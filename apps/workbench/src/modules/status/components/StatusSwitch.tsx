import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { formatDuration } from '../../../app/format.ts';
import { useNow } from '../../../app/use-now.ts';
import { Badge, Button, useToast } from '../../../ui/index.ts';
import { useAgentStatus } from '../hooks/use-agent-status.ts';
import { useWrapUpSeconds } from '../hooks/use-wrap-up.ts';
import { choiceOf, REST_REASONS, STATUS_TONES, type StatusChoice } from '../state/statuses.ts';
import { unlockSound } from '../../offers/state/ringtone.ts';
import { askNotificationPermission } from '../../offers/state/desktop-notification.ts';
import { useCalls } from '../../calls/hooks/use-calls.ts';
import { callStrings } from '../../calls/locales/index.ts';
import { format } from '../../../app/locale.ts';
import { statusStrings } from '../locales/index.ts';

/** The agent's status: shown as a badge, changed with a select (rest with a reason); wrap-up counts down. */
export function StatusSwitch() {
  const client = useClient();
  const toast = useToast();
  const status = useAgentStatus();
  const [isBusy, setIsBusy] = useState(false);
  const isWrappingUp = status.status === 'wrap_up';
  const wrapUpSeconds = useWrapUpSeconds(isWrappingUp);
  const now = useNow(1000, isWrappingUp);
  // Routing says busy; in a call the agent (and a glance at the bar) should read "on a call".
  const { isOnCall } = useCalls();
  const t = statusStrings();
  const reasonLabel = (reason: string) => t.restReasons[reason] ?? reason;

  async function choose(choice: StatusChoice) {
    // A user gesture: the moment browsers allow sound and the notification prompt.
    unlockSound();
    if (choice === 'free') askNotificationPermission();
    setIsBusy(true);
    const result = choice.startsWith('rest:')
      ? await client.Agent.setStatus({ status: 'rest', restReason: choice.slice('rest:'.length) })
      : await client.Agent.setStatus({ status: choice as 'free' | 'not_ready' | 'offline' });
    setIsBusy(false);
    if (result.status === 'error') toast({ message: format(t.couldNotChange, { error: result.errorMsg ?? '' }), tone: 'danger' });
  }

  const current = choiceOf(status.status, status.reason);
  const elapsedSeconds = (now - status.at) / 1000;
  return (
    <div className="wb-status">
      <Badge tone={isOnCall ? 'danger' : STATUS_TONES[status.status]} data-testid="agent-status" data-on-call={isOnCall || undefined}>
        <span className={`wb-status__dot wb-status__dot--${status.status}`} aria-hidden="true" />
        {isOnCall ? callStrings().onCall : t.statuses[status.status]}
        {status.status === 'rest' && status.reason ? ` · ${reasonLabel(status.reason)}` : ''}
      </Badge>
      {isWrappingUp && (
        <span className="wb-status__wrapup" role="timer" aria-live="off" data-testid="wrap-up-countdown">
          {wrapUpSeconds !== null ? format(t.timeLeft, { time: formatDuration(wrapUpSeconds - elapsedSeconds) }) : formatDuration(elapsedSeconds)}
        </span>
      )}
      {isWrappingUp && (
        <Button size="sm" variant="primary" onClick={() => void choose('free')} disabled={isBusy}>
          {t.finishWrapUp}
        </Button>
      )}
      <label className="fd-visually-hidden" htmlFor="wb-status-select">{t.setStatus}</label>
      <select
        id="wb-status-select"
        className="fd-control wb-status__select"
        value={current}
        disabled={isBusy}
        onChange={(event) => void choose(event.target.value as StatusChoice)}
      >
        {current === '' && <option value="">{t.statuses[status.status]}</option>}
        <option value="free">{t.statuses.free}</option>
        <option value="not_ready">{t.statuses.not_ready}</option>
        <optgroup label={t.rest}>
          {REST_REASONS.map((reason) => (
            <option key={reason} value={`rest:${reason}`}>{format(t.restWith, { reason: reasonLabel(reason) })}</option>
          ))}
          {status.status === 'rest' && status.reason && !(REST_REASONS as readonly string[]).includes(status.reason) && (
            <option value={`rest:${status.reason}`}>{format(t.restWith, { reason: status.reason })}</option>
          )}
        </optgroup>
        <option value="offline">{t.statuses.offline}</option>
      </select>
    </div>
  );
}
