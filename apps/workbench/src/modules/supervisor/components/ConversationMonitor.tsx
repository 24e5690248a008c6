import type { Agent, Message, Whisper } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useRef, useState } from 'react';
import { visitorLabel } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { Badge, Button } from '../../../ui/index.ts';
import { useSupervision } from '../hooks/use-supervision.ts';
import { usePolling } from '../hooks/usePolling.ts';
import { supervisionStrings } from '../locales/index.ts';
import { boardState, shortId } from '../state/format.ts';
import { SupervisionControls } from './SupervisionControls.tsx';
import { SupervisorComposer } from './SupervisorComposer.tsx';
import { CobrowsePanel } from '../../cobrowse/components/CobrowsePanel.tsx';
import { systemText } from '../../inbox/state/preview.ts';

export interface ConversationMonitorProps {
  api: AdminApi;
  conversationId: string;
  agents: readonly Agent[];
  /** Changes when the board knows the conversation changed (e.g. it ended it): read it again now. */
  refreshSignal: number;
  onEnd: () => void;
  onClose: () => void;
}

/**
 * A live conversation under supervision (SPEC M28): its messages as they arrive (polled from the
 * last seq seen), whispers among them in their own colour, its routing and supervision steps, and
 * the modes: monitor (read-only, no composer), whisper (to the agent only), barge in (to the
 * visitor, as yourself), take over. Message text is rendered as text only.
 */
export function ConversationMonitor({ api, conversationId, agents, refreshSignal, onEnd, onClose }: ConversationMonitorProps) {
  const s = supervisionStrings();
  const b = s.board;
  const supervision = useSupervision(api, conversationId);
  const [messages, setMessages] = useState<Message[]>([]);
  const lastSeq = useRef(0);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    setMessages([]);
    lastSeq.current = 0;
  }, [conversationId]);

  const messagesPoll = usePolling(
    async () => {
      const page = await api.conversations.messages(conversationId, lastSeq.current, 200);
      if (page.messages.length > 0) {
        lastSeq.current = Math.max(lastSeq.current, ...page.messages.map((m) => m.seq));
        setMessages((current) => {
          const known = new Set(current.map((m) => m.seq));
          return [...current, ...page.messages.filter((m) => !known.has(m.seq))].sort((a, b) => a.seq - b.seq);
        });
      }
      return page.lastSeq;
    },
    1500,
    conversationId,
  );
  const routing = usePolling(() => api.routing.conversationRouting(conversationId), 3000, conversationId);
  const conversation = routing.data?.conversation;
  const visitor = useVisitor(conversationId, conversation?.visitorId ?? null);
  const { refresh: refreshMessages } = messagesPoll;
  const { refresh: refreshRouting } = routing;
  useEffect(() => {
    if (refreshSignal === 0) return;
    refreshMessages();
    refreshRouting();
    // Only when the signal changes; the refresh functions are stable in effect.
  }, [refreshSignal]);

  const items = mergeByTime(messages, supervision.timeline?.whispers ?? []);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [items.length]);

  const agentName = (id: string | null) => (id ? agents.find((a) => a.id === id)?.name ?? shortId(id) : b.noAgentYet);
  const isLive = conversation?.status === 'open' && !supervision.hasTakenOver;
  const mode = supervision.mode;

  return (
    <section className="fd-sup-monitor" aria-labelledby="monitor-title" data-testid="monitor">
      <header className="fd-sup-monitor__header">
        <div>
          <h2 id="monitor-title" title={conversationId}>{format(b.monitoring, { name: conversation ? visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name) : shortId(conversationId) })}</h2>
          {conversation && (
            <p className="fd-sup-muted">
              <Badge tone={conversation.status === 'open' ? 'success' : 'neutral'}>{conversation.status === 'open' ? b.statusOpen : b.statusClosed}</Badge> {b.routingStates[boardState(conversation)]} · {agentName(conversation.agentId)}
              {routing.data && routing.data.position > 0 && ` · ${format(b.position, { position: routing.data.position })}`}
              {conversation.closeBy && ` · ${format(b.endedBy, { who: b.closedBy[conversation.closeBy] })}`}
            </p>
          )}
        </div>
        <span className="fd-sup-inline">
          {conversation?.status !== 'closed' && <Button size="sm" variant="danger" onClick={onEnd}>{b.endSession}</Button>}
          <Button size="sm" variant="ghost" onClick={onClose} aria-label={b.stopMonitoring}>{b.close}</Button>
        </span>
      </header>
      {isLive && (
        <SupervisionControls
          mode={mode}
          agentName={agentName(conversation?.agentId ?? null)}
          canTakeOver={mode !== null && conversation?.agentId != null}
          onSwitch={(next) => void supervision.switchTo(next)}
          onTakeOver={async () => {
            const isTaken = await supervision.takeOver();
            refreshRouting();
            return isTaken;
          }}
        />
      )}
      {isLive && <CobrowsePanel conversationId={conversationId} canPropose={false} canControl={false} />}
      {supervision.hasTakenOver ? <p className="fd-sup-readonly">{s.yoursNow}</p> : (mode === null || mode === 'monitor') && <p className="fd-sup-readonly">{s.monitorHint}</p>}
      {supervision.error && <p className="fd-field__error" role="alert">{format(s.couldNot, { error: supervision.error })}</p>}
      {(messagesPoll.error ?? routing.error) && <p className="fd-field__error" role="alert">{messagesPoll.error ?? routing.error}</p>}
      <ol className="fd-sup-messages" ref={listRef} aria-live="polite" aria-label={b.messages}>
        {items.length === 0 && <li className="fd-sup-muted">{b.noMessage}</li>}
        {items.map((item) =>
          'supervisorId' in item ? (
            <li key={item.id} className="fd-sup-message fd-sup-message--whisper" data-testid="whisper">
              <span className="fd-sup-message__meta">{format(s.whisperFrom, { name: agentName(item.supervisorId) })} · {s.whisperHint} · {new Date(item.createdAt).toLocaleTimeString()}</span>
              <span className="fd-sup-message__text">{item.text}</span>
            </li>
          ) : (
            <MonitoredMessage key={item.seq} message={item} agentName={agentName} />
          ),
        )}
      </ol>
      {isLive && mode === 'whisper' && <SupervisorComposer kind="whisper" onSend={supervision.whisper} />}
      {isLive && mode === 'barge' && (
        <SupervisorComposer
          kind="barge"
          onSend={async (text, clientId) => {
            const isSent = await supervision.barge(text, clientId);
            refreshMessages();
            return isSent;
          }}
        />
      )}
      {(supervision.timeline?.steps.length ?? 0) > 0 && (
        <details className="fd-sup-steps" data-testid="supervision-steps">
          <summary>{format(s.stepsTitle, { count: supervision.timeline!.steps.length })}</summary>
          <ol>
            {supervision.timeline!.steps.map((step) => (
              <li key={step.id}>
                {new Date(step.at).toLocaleTimeString()} — {format(s.stepText, { name: agentName(step.supervisorId), mode: s.stepModes[step.mode] })}
              </li>
            ))}
          </ol>
        </details>
      )}
      {routing.data && routing.data.history.length > 0 && (
        <details className="fd-sup-steps">
          <summary>{format(b.routingSteps, { count: routing.data.history.length })}</summary>
          <ol>
            {routing.data.history.map((step, i) => (
              <li key={i}>
                {new Date(step.at).toLocaleTimeString()} — {step.type}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

/** Messages and whispers in the order they were written (a message before a whisper of the same millisecond). */
function mergeByTime(messages: readonly Message[], whispers: readonly Whisper[]): (Message | Whisper)[] {
  return [...messages, ...whispers].sort((a, b) => a.createdAt - b.createdAt || ('seq' in a ? 0 : 1) - ('seq' in b ? 0 : 1));
}

/** One message of the monitored conversation, as text. */
function MonitoredMessage({ message: m, agentName }: { message: Message; agentName: (id: string | null) => string }) {
  const b = supervisionStrings().board;
  return (
    <li className={`fd-sup-message fd-sup-message--${m.senderType}`}>
      <span className="fd-sup-message__meta">
        {m.kind === 'system' ? '' : b.senders[m.senderType]}
        {m.senderType === 'agent' && m.senderId ? ` · ${agentName(m.senderId)}` : ''}{m.kind === 'system' ? '' : ' · '}{new Date(m.createdAt).toLocaleTimeString()}
      </span>
      <span className="fd-sup-message__text">{m.kind === 'system' ? systemText(m.text, m.senderId ? agentName(m.senderId) : undefined) : m.kind === 'file' || m.kind === 'image' ? format(b.attachment, { kind: b.kinds[m.kind], name: m.file?.name ?? m.text }) : m.text}</span>
    </li>
  );
}
