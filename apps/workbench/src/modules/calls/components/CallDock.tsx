import { useClient } from '../../../app/client-context.tsx';
import { useNow } from '../../../app/use-now.ts';
import { useStyles } from '../../../ui/useStyles.ts';
import callsCss from '../calls.css?inline';
import { useCallAlerts } from '../hooks/use-call-alerts.ts';
import { useCalls } from '../hooks/use-calls.ts';
import { callStrings } from '../locales/index.ts';
import { CallWindow } from './CallWindow.tsx';
import { IncomingCallCard } from './IncomingCallCard.tsx';

/**
 * The agent's calls over every screen: calls ringing for this agent (with the ringtone, and a
 * browser notification while the tab is hidden) and the call in progress, as a window floating
 * over the inbox, unless its conversation is open: the conversation pane shows it then (`CallInPane`).
 */
export function CallDock({ openConversationId, onOpen }: { openConversationId: string | null; onOpen: (conversationId: string) => void }) {
  useStyles('fd-calls-styles', callsCss);
  const client = useClient();
  const s = callStrings();
  const { ringing, current } = useCalls();
  useCallAlerts(ringing, onOpen);
  const now = useNow(1000, ringing.length > 0);
  // The conversation opens only when it is in this agent's inbox (a call routed from a queue may be of another agent's chat).
  const canOpen = (conversationId: string | null) => conversationId !== null && client.Chat.get({ sessionId: conversationId }) !== null;
  return (
    <>
      {ringing.length > 0 && (
        <section className="wb-offers wb-calls-ringing" aria-label={s.incomingCalls}>
          {ringing.map((entry) => (
            <IncomingCallCard key={entry.call.id} entry={entry} now={now} canOpen={canOpen(entry.call.conversationId)} onOpen={onOpen} />
          ))}
        </section>
      )}
      {/* Floating unless its conversation is open (then it sits in it); an internal call has none: always floating. */}
      {current && (current.call.conversationId === null || current.call.conversationId !== openConversationId) && (
        <CallWindow key={current.call.id} entry={current} placement="floating" canOpen={canOpen(current.call.conversationId)} onOpen={onOpen} />
      )}
    </>
  );
}
