import { useEffect, useRef, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { notifyWhileHidden } from '../../offers/state/desktop-notification.ts';
import { startRinging, stopRinging } from '../../offers/state/ringtone.ts';
import { callStrings } from '../locales/index.ts';
import { peerName } from '../state/call-labels.ts';
import { isInviteFor } from '../state/call-parties.ts';
import type { CallEntry } from '../state/calls-store.ts';

/**
 * A call ringing for this agent rings (the offers' tone, unless the agent turned it off) and, while
 * the tab is hidden, shows a browser notification once per call; a click opens its conversation.
 */
export function useCallAlerts(ringing: readonly CallEntry[], onOpen: (conversationId: string) => void): void {
  const client = useClient();
  const s = callStrings();
  const notified = useRef(new Set<string>());
  const [settings, setSettings] = useState(() => client.UI.getState().settings);
  useClientEvent('uiChanged', (state) => setSettings(state.settings));

  const isRinging = ringing.length > 0;
  useEffect(() => {
    if (isRinging && !settings.disableRingtone) startRinging('call');
    else stopRinging('call');
  }, [isRinging, settings.disableRingtone]);
  useEffect(() => () => stopRinging('call'), []);

  useEffect(() => {
    if (settings.disableNotification) return;
    for (const { call, nickname } of ringing) {
      if (notified.current.has(call.id)) continue;
      notified.current.add(call.id);
      notifyWhileHidden({
        title: call.kind === 'video' ? s.notifyTitleVideo : s.notifyTitleAudio,
        // An invite into a colleague's call says so (its card names who invites and the visitor).
        body: isInviteFor(call, client.Agent.me()?.id ?? null) ? format(s.invitedByNotify, { visitor: peerName(call, null, nickname) }) : format(s.notifyBody, { name: peerName(call, client.Agent.me()?.id ?? null, nickname) }),
        tag: `call-${call.id}`,
        onClick: () => call.conversationId !== null && onOpen(call.conversationId),
      });
    }
  }, [ringing, settings.disableNotification]);
}
