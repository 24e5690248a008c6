import type { QueueLiveView, RoutingOverviewView } from '@frontdesk/sdk-agent';
import { Badge, Table } from '../../../ui/index.ts';
import { supervisionStrings } from '../locales/index.ts';
import { durationText, occupancyTone } from '../state/format.ts';

export interface QueueBoardProps {
  overview: RoutingOverviewView | undefined;
  /** When the overview was fetched, and now: the longest wait keeps counting between refreshes. */
  fetchedAt: number;
  now: number;
}

/** Live queues (SPEC M17, M21): waiting, longest wait, signed-in and free agents, occupancy (M16). */
export function QueueBoard({ overview, fetchedAt, now }: QueueBoardProps) {
  const s = supervisionStrings().board;
  const waitOf = (q: QueueLiveView) => (q.queued > 0 ? q.longestWaitMs + Math.max(0, now - fetchedAt) : 0);
  return (
    <Table
      caption={s.queues}
      className="fd-sup-queues"
      rows={overview?.queues ?? []}
      rowKey={(q) => q.queueId}
      empty={overview ? s.noQueue : s.loading}
      columns={[
        { key: 'name', header: s.colQueue, render: (q) => <strong>{q.name}</strong> },
        { key: 'waiting', header: s.colWaiting, align: 'end', render: (q) => <span data-testid={`waiting-${q.queueId}`} className={q.queued > 0 ? 'fd-sup-hot' : undefined}>{q.queued}</span> },
        { key: 'longest', header: s.colLongestWait, align: 'end', render: (q) => (q.queued > 0 ? durationText(waitOf(q)) : '—') },
        { key: 'agents', header: s.colSignedIn, align: 'end', render: (q) => q.signedInAgents },
        { key: 'free', header: s.colFree, align: 'end', render: (q) => q.freeAgents },
        { key: 'occupancy', header: s.colOccupancy, align: 'end', render: (q) => <Badge tone={occupancyTone(q.occupancyPercent)}>{Math.round(q.occupancyPercent)} %</Badge> },
        { key: 'max', header: s.colMaxQueued, align: 'end', render: (q) => q.maxQueueLength },
      ]}
    />
  );
}
