import type { CallInEvent, ConversationView } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { visitorLabel } from '../../../app/format.ts';
import { notifyWhileHidden } from '../state/desktop-notification.ts';
import { startRinging, stopRinging } from '../state/ringtone.ts';

export interface OfferView {
  sessionId: string;
  /** 'offered' rings for this agent; 'pool' may be taken by anyone of the queue. */
  kind: 'offered' | 'pool';
  expiresAt: number | null;
  visitorName: string;
  queueId: string | null;
}

function offersOf(views: readonly ConversationView[], callIns: Map<string, CallInEvent>): OfferView[] {
  return views
    .filter((view) => view.role === 'offered' || view.role === 'pool')
    .map((view) => {
      const callIn = callIns.get(view.conversation.id);
      return {
        sessionId: view.conversation.id,
        kind: view.role === 'pool' ? 'pool' : 'offered',
        expiresAt: view.offerExpiresAt ?? callIn?.expiresAt ?? null,
        visitorName: visitorLabel(view.conversation.visitorId, callIn?.nickname),
        queueId: view.conversation.queueId,
      };
    });
}

/**
 * Offers ringing for this agent and pool sessions it may take. Rings (unless the agent turned the
 * ringtone off) while a push offer is waiting, and shows a browser notification for a new offer
 * when the tab is hidden.
 */
export function useOffers(onOpen: (sessionId: string) => void): OfferView[] {
  const client = useClient();
  const callIns = useRef(new Map<string, CallInEvent>());
  const [offers, setOffers] = useState<OfferView[]>(() => offersOf(client.Chat.list(), callIns.current));
  const refresh = useCallback(() => setOffers(offersOf(client.Chat.list(), callIns.current)), [client]);

  useClientEvent('callIn', (event) => {
    // Audio and video calls ring in the call dock (modules/calls).
    if (event.type !== 'im') return;
    callIns.current.set(event.sessionId, event);
    refresh();
    const settings = client.UI.getState().settings;
    if (!settings.disableNotification) {
      notifyWhileHidden({
        title: 'Incoming chat',
        body: `${visitorLabel(event.visitorId, event.nickname)} is waiting`,
        tag: `offer-${event.sessionId}`,
        onClick: () => onOpen(event.sessionId),
      });
    }
  });
  useClientEvent('offerWithdrawn', ({ sessionId }) => {
    callIns.current.delete(sessionId);
    refresh();
  });
  useClientEvent('userAccessed', refresh);
  useClientEvent('sessionEnded', refresh);
  useClientEvent('sessionsChanged', refresh);

  const isRingingOffer = offers.some((offer) => offer.kind === 'offered');
  const [isRingtoneOff, setIsRingtoneOff] = useState(() => client.UI.getState().settings.disableRingtone);
  useClientEvent('uiChanged', (state) => setIsRingtoneOff(state.settings.disableRingtone));
  useEffect(() => {
    if (isRingingOffer && !isRingtoneOff) startRinging();
    else stopRinging();
  }, [isRingingOffer, isRingtoneOff]);
  useEffect(() => () => stopRinging(), []);

  return offers;
}
