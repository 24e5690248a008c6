import type { AgentState, Conversation } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Button, Dialog, Table, useToast } from '../../../ui/index.ts';
import { useLiveRefresh } from '../hooks/useLiveRefresh.ts';
import { useNow, usePolling } from '../hooks/usePolling.ts';
import { useSupervisorApi } from '../hooks/useSupervisorApi.ts';
import { format } from '../../../app/locale.ts';
import { supervisionStrings } from '../locales/index.ts';
import { shortId } from '../state/format.ts';
import supervisorCss from '../supervisor.css?inline';
import { useStyles } from '../../../ui/useStyles.ts';
import { useLiveCalls } from '../hooks/use-live-calls.ts';
import { useCallSupervision } from '../hooks/use-call-supervision.ts';
import { SupervisedCall } from './SupervisedCall.tsx';
import { AgentBoard } from './AgentBoard.tsx';
import { CallBoard } from './CallBoard.tsx';
import { ConversationBoard } from './ConversationBoard.tsx';
import { ConversationMonitor } from './ConversationMonitor.tsx';
import { ForceStatusDialog } from './ForceStatusDialog.tsx';
import { QueueBoard } from './QueueBoard.tsx';

export interface SupervisorBoardProps {
  client: AgentClient;
}

/** How often the board reads the live overview; live events refresh it sooner. */
const OVERVIEW_INTERVAL_MS = 2000;

/**
 * Supervisor board (SPEC M17, M21, M28): live queues and agents, open conversations, a read-only
 * monitor of any of them, forced agent status and ending a session. The server checks the
 * supervisor role on every call; an agent without it sees the errors it answers.
 */
export function SupervisorBoard({ client }: SupervisorBoardProps) {
  useStyles('fd-supervisor-styles', supervisorCss);
  const sv = supervisionStrings();
  const s = sv.board;
  const api = useSupervisorApi(client);
  const toast = useToast();
  const now = useNow(1000);
  const overview = usePolling(() => api.routing.overview(), OVERVIEW_INTERVAL_MS);
  const conversations = usePolling(() => api.conversations.list({ status: 'open', limit: 100 }), OVERVIEW_INTERVAL_MS);
  const agents = usePolling(() => api.agents.list(), 15_000);
  const [monitoredId, setMonitoredId] = useState<string>();
  const [forceTarget, setForceTarget] = useState<{ state: AgentState; name: string }>();
  const [ending, setEnding] = useState<Pick<Conversation, 'id'>>();
  const [monitorSignal, setMonitorSignal] = useState(0);
  const refreshAll = () => {
    overview.refresh();
    conversations.refresh();
  };
  useLiveRefresh(client, refreshAll);
  const liveCalls = useLiveCalls(api, overview.fetchedAt);
  const callSupervision = useCallSupervision(client, (message) => toast({ message, tone: 'danger' }));
  const queueName = (queueId: string | null) => (queueId ? overview.data?.queues.find((q) => q.queueId === queueId)?.name ?? shortId(queueId) : '—');
  const supervisedCall = liveCalls.find((c) => c.call.id === callSupervision.state.callId)?.call ?? (callSupervision.state.callId ? client.Call.get({ sessionId: callSupervision.state.callId }) ?? undefined : undefined);

  const agentList = agents.data ?? [];
  const nameOf = (agentId: string) => agentList.find((a) => a.id === agentId)?.name ?? agentId;
  const totalWaiting = overview.data?.queues.reduce((sum, q) => sum + q.queued, 0) ?? 0;
  const error = overview.error ?? conversations.error;

  async function end(conversationId: string) {
    try {
      await api.conversations.end(conversationId);
      toast({ message: format(s.ended, { id: shortId(conversationId) }), tone: 'success' });
      refreshAll();
      setMonitorSignal((n) => n + 1);
    } catch (err) {
      toast({ message: err instanceof Error ? err.message : String(err), tone: 'danger' });
    } finally {
      setEnding(undefined);
    }
  }

  return (
    <div className="fd-sup">
      <header className="fd-sup-header">
        <h1>{s.title}</h1>
        <dl className="fd-sup-tiles" aria-label={s.totals}>
          <div><dt>{s.waiting}</dt><dd data-testid="total-waiting">{totalWaiting}</dd></div>
          <div><dt>{s.activeConversations}</dt><dd data-testid="active-conversations">{overview.data?.activeConversations ?? '—'}</dd></div>
          <div><dt>{s.agentsOnline}</dt><dd data-testid="online-agents">{overview.data?.onlineAgents ?? '—'}</dd></div>
        </dl>
        <Button size="sm" onClick={refreshAll}>{s.refresh}</Button>
      </header>
      {error && <p className="fd-sup-error" role="alert">{format(s.couldNotRefresh, { error })}</p>}
      <div className={monitoredId ? 'fd-sup-layout fd-sup-layout--monitoring' : 'fd-sup-layout'}>
        <div className="fd-sup-main">
          <QueueBoard overview={overview.data} fetchedAt={overview.fetchedAt} now={now} />
          {(overview.data?.areas.length ?? 0) > 0 && (
            <Table
              caption={s.areas}
              rows={overview.data?.areas ?? []}
              rowKey={(a) => a.areaId}
              columns={[
                { key: 'name', header: s.colArea, render: (a) => a.name },
                { key: 'queues', header: s.colQueues, align: 'end', render: (a) => a.queues },
                { key: 'agents', header: s.colAgents, align: 'end', render: (a) => a.agents },
                { key: 'guests', header: s.colGuests, align: 'end', render: (a) => a.guests },
                { key: 'queued', header: s.colQueued, align: 'end', render: (a) => a.queued },
              ]}
            />
          )}
          <AgentBoard
            states={overview.data?.agents ?? []}
            agents={agentList}
            isLoaded={overview.data !== undefined}
            onForceStatus={(state) => setForceTarget({ state, name: nameOf(state.agentId) })}
            onMonitor={setMonitoredId}
          />
          <SupervisedCall call={supervisedCall} agents={agentList} controls={callSupervision} />
          <CallBoard
            calls={liveCalls}
            agents={agentList}
            queueName={queueName}
            now={now}
            supervising={callSupervision.state}
            isBusy={callSupervision.state.isBusy}
            onMode={(callId, mode) => void callSupervision.setMode(callId, mode).then(overview.refresh)}
            onMonitor={setMonitoredId}
          />
          <ConversationBoard
            conversations={conversations.data}
            overview={overview.data}
            agents={agentList}
            monitoredId={monitoredId}
            now={now}
            onMonitor={setMonitoredId}
            onEnd={(c) => setEnding(c)}
          />
        </div>
        {monitoredId && (
          <ConversationMonitor
            key={monitoredId}
            api={api}
            conversationId={monitoredId}
            agents={agentList}
            refreshSignal={monitorSignal}
            onEnd={() => setEnding({ id: monitoredId })}
            onClose={() => setMonitoredId(undefined)}
          />
        )}
      </div>
      <ForceStatusDialog
        api={api}
        target={forceTarget}
        onClose={() => setForceTarget(undefined)}
        onDone={() => {
          toast({ message: format(s.statusChanged, { name: forceTarget?.name ?? s.theAgent }), tone: 'success' });
          setForceTarget(undefined);
          refreshAll();
        }}
      />
      <Dialog
        isOpen={ending !== undefined}
        onClose={() => setEnding(undefined)}
        title={s.endTitle}
        footer={
          <>
            <Button onClick={() => setEnding(undefined)}>{sv.cancel}</Button>
            <Button variant="danger" onClick={() => ending && void end(ending.id)}>{s.endConversation}</Button>
          </>
        }
      >
        <p>{s.endBody}</p>
      </Dialog>
    </div>
  );
}
