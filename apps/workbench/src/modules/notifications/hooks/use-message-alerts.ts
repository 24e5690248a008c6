import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { visitorLabel } from '../../../app/format.ts';
import { notifyWhileHidden } from '../../offers/state/desktop-notification.ts';
import { chimeOnce } from '../../offers/state/ringtone.ts';
import { loadVisitor } from '../../visitor/hooks/use-visitor.ts';
import { notificationStrings } from '../locales/index.ts';

const BODY_MAX_CHARS = 140;

/**
 * A visitor's new message in one of the agent's own conversations: a chime when it is not the
 * conversation on screen (or the tab is hidden), and a browser notification while the tab is
 * hidden; each as the agent's settings allow. Only the tab holding the connection chimes, and
 * notifications of one conversation replace each other (one tag), so several tabs do not repeat them.
 */
export function useMessageAlerts(openSessionId: string | null, onOpen: (sessionId: string) => void): void {
  const client = useClient();
  useClientEvent('message', ({ sessionId, message }) => {
    if (message.senderType !== 'visitor') return;
    const view = client.Chat.get({ sessionId });
    if (view?.role !== 'assigned') return;
    const isOnScreen = sessionId === openSessionId && !document.hidden;
    if (isOnScreen) return;
    const { settings } = client.UI.getState();
    if (!settings.disableMessageSound && client.isLeader) chimeOnce();
    if (settings.disableMessageNotification || !document.hidden) return;
    // NOTE: the cached read the inbox row already made: not one request per message.
    void loadVisitor(client, sessionId, view.conversation.visitorId).then((visitor) => {
      const name = visitorLabel(view.conversation.visitorId, visitor?.name, view.conversation.visitorDetails?.name);
      const text = message.kind === 'text' ? message.text : message.file?.name ?? message.text;
      notifyWhileHidden({
        title: format(notificationStrings().newMessageFrom, { name }),
        body: text.length > BODY_MAX_CHARS ? `${text.slice(0, BODY_MAX_CHARS)}…` : text,
        tag: `message-${sessionId}`,
        onClick: () => onOpen(sessionId),
      });
    });
  });
}
