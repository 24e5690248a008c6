import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { visitorLabel } from '../../../app/format.ts';
import { Badge, Button, Dialog, useToast } from '../../../ui/index.ts';
import { useSession, useSessionsStore } from '../../inbox/hooks/use-sessions.ts';
import { CallButtons } from '../../calls/components/CallButtons.tsx';
import { CallInPane } from '../../calls/components/CallInPane.tsx';
import { CobrowsePanel } from '../../cobrowse/components/CobrowsePanel.tsx';
import { useVisitor } from '../../visitor/hooks/use-visitor.ts';
import { useAgentNames } from '../hooks/use-agent-names.ts';
import { useChannel } from '../hooks/use-channel.ts';
import { ChannelStrip } from './ChannelStrip.tsx';
import { useWhispers } from '../hooks/use-whispers.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { TransferDialog } from './TransferDialog.tsx';
import { VisitorPanel } from './VisitorPanel.tsx';
import { format } from '../../../app/locale.ts';
import { conversationStrings as cs } from '../locales/index.ts';

/** One conversation: its messages and composer, its actions (take, transfer, end), the visitor's details. */
export function ConversationPane({ sessionId, onLeave }: { sessionId: string; onLeave: () => void }) {
  const client = useClient();
  const toast = useToast();
  const store = useSessionsStore();
  const entry = useSession(sessionId);
  const [isTransferOpen, setIsTransferOpen] = useState(false);
  const [isEndOpen, setIsEndOpen] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  // Narrow layouts (a CRM's side panel) show the details instead of the messages, on demand.
  const [isDetailsShown, setIsDetailsShown] = useState(false);
  const agentName = useAgentNames();
  const view = entry?.view;
  const conversation = view?.conversation;
  const visitor = useVisitor(sessionId, conversation?.visitorId ?? null);
  const whispers = useWhispers(sessionId);
  const { channel, templates, reload: reloadChannel } = useChannel(sessionId, view?.messages.length ?? 0);
  const deliveries = useMemo(() => (channel ? new Map(channel.deliveries.map((d) => [d.messageId, d])) : undefined), [channel]);

  // Reading the pane marks the messages read (only while the tab is in front). Only the agent's own
  // conversations (open or ended): one still ringing, pooled or waiting keeps its unread count for whoever takes it.
  const unread = view?.role === 'assigned' || view?.role === 'ended' ? view.unreadCount : 0;
  useEffect(() => {
    if (unread === 0) return;
    const markRead = () => {
      if (!document.hidden) void client.Chat.markRead({ sessionId });
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [client, sessionId, unread]);

  if (!view || !conversation) {
    return (
      <section className="wb-pane wb-pane--empty">
        <p>{cs().gone}</p>
        <Button onClick={onLeave}>{cs().backToInbox}</Button>
      </section>
    );
  }

  const isMine = view.role === 'assigned' && conversation.status === 'open';
  async function run(action: () => Promise<{ status: 'success' | 'error'; errorMsg?: string }>, failure: string) {
    setIsBusy(true);
    const result = await action();
    setIsBusy(false);
    if (result.status === 'error') toast({ message: format(cs().failedWith, { failure, error: result.errorMsg ?? '' }), tone: 'danger' });
    return result.status === 'success';
  }

  return (
    <section className={`wb-pane${isDetailsShown ? ' wb-pane--details' : ''}`} aria-labelledby="wb-pane-title" data-testid="conversation" data-session-id={sessionId}>
      <div className="wb-pane__main">
        <header className="wb-pane__header">
          <Button size="sm" variant="ghost" className="wb-compact-only" onClick={onLeave} aria-label={cs().backToInbox}>←</Button>
          <div className="wb-pane__title">
            <h2 id="wb-pane-title">{visitorLabel(conversation.visitorId, visitor?.name, conversation.visitorDetails?.name)}</h2>
            <p className="wb-pane__sub">
              {conversation.status === 'closed' ? <Badge>{cs().ended}</Badge> : <Badge tone={isMine ? 'success' : 'info'}>{cs().roles[view.role]}</Badge>}
              {conversation.agentId && !isMine && conversation.status === 'open' && <span>{format(cs().withAgent, { name: agentName(conversation.agentId) })}</span>}
            </p>
          </div>
          <div className="wb-pane__actions">
            <Button size="sm" className="wb-compact-only" aria-pressed={isDetailsShown} onClick={() => setIsDetailsShown((shown) => !shown)}>{cs().details}</Button>
            {(view.role === 'offered' || view.role === 'pool') && (
              <Button variant="primary" isBusy={isBusy} onClick={() => void run(() => client.Chat.accept({ sessionId }), cs().couldNotTake)}>{cs().accept}</Button>
            )}
            {view.role === 'unclaimed' && (
              <Button variant="primary" isBusy={isBusy} onClick={() => void run(() => client.Chat.claim({ sessionId }), cs().couldNotTake)} data-testid="claim">{cs().take}</Button>
            )}
            {isMine && <CallButtons conversationId={sessionId} />}
            {isMine && <Button onClick={() => setIsTransferOpen(true)} data-testid="transfer">{cs().transfer}</Button>}
            {isMine && <Button variant="danger" onClick={() => setIsEndOpen(true)} data-testid="end">{cs().end}</Button>}
            {view.role === 'ended' && (
              <Button onClick={() => { store.dismiss(sessionId); onLeave(); }} data-testid="dismiss">{cs().close}</Button>
            )}
          </div>
        </header>
        <CallInPane conversationId={sessionId} />
        {conversation.status === 'open' && (isMine || view.role === 'assigned') && <CobrowsePanel conversationId={sessionId} canPropose={isMine} canControl={isMine} />}
        <MessageList view={view} agentName={agentName} whispers={whispers} deliveries={deliveries} />
        {channel && conversation.status === 'open' && <ChannelStrip sessionId={sessionId} channel={channel} templates={templates} isMine={isMine} onSent={() => void reloadChannel()} />}
        {conversation.status === 'closed' ? (
          <p className="wb-pane__closed" role="status">{cs().closedNotice}</p>
        ) : (
          <Composer sessionId={sessionId} isDisabled={!isMine} />
        )}
      </div>
      <VisitorPanel conversation={conversation} authorName={(id) => (id ? agentName(id) : 'API')} canWrapUp={view.role === 'assigned' || view.role === 'ended'} />
      <TransferDialog sessionId={sessionId} isOpen={isTransferOpen} onClose={() => setIsTransferOpen(false)} onTransferred={() => { setIsTransferOpen(false); onLeave(); }} />
      <Dialog
        isOpen={isEndOpen}
        title={cs().endTitle}
        onClose={() => setIsEndOpen(false)}
        footer={
          <>
            <Button onClick={() => setIsEndOpen(false)}>{cs().cancel}</Button>
            <Button
              variant="danger"
              isBusy={isBusy}
              data-testid="end-confirm"
              onClick={() => void run(() => client.Chat.end({ sessionId }), cs().couldNotEnd).then((ok) => ok && setIsEndOpen(false))}
            >
              {cs().endConversation}
            </Button>
          </>
        }
      >
        <p>{cs().endExplained}</p>
      </Dialog>
    </section>
  );
}

