import type { UserCustomSettings } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { unlockSound } from '../../offers/state/ringtone.ts';
import { askNotificationPermission } from '../../offers/state/desktop-notification.ts';
import { Icon } from '../../../ui/index.ts';
import { AvatarSetting } from '../../avatar/components/AvatarSetting.tsx';
import { notificationStrings } from '../../notifications/locales/index.ts';

/** Ringtone and browser-notification switches (kept by the SDK's UI settings), and the agent's picture. */
export function SettingsMenu() {
  const client = useClient();
  const [settings, setSettings] = useState<UserCustomSettings>(() => client.UI.getState().settings);
  useClientEvent('uiChanged', (state) => setSettings(state.settings));
  return (
    <details className="wb-menu">
      <summary className="fd-button fd-button--ghost fd-button--sm" aria-label="Settings"><Icon name="gear" /></summary>
      <div className="wb-menu__body">
        <label className="wb-check">
          <input
            type="checkbox"
            checked={!settings.disableRingtone}
            onChange={(e) => {
              unlockSound();
              client.UI.updateUserCustomSettings({ disableRingtone: !e.target.checked });
            }}
          />
          Ring for incoming chats
        </label>
        <label className="wb-check">
          <input
            type="checkbox"
            checked={!settings.disableNotification}
            onChange={(e) => {
              if (e.target.checked) askNotificationPermission();
              client.UI.updateUserCustomSettings({ disableNotification: !e.target.checked });
            }}
          />
          Browser notifications when this tab is hidden
        </label>
        <label className="wb-check">
          <input type="checkbox" checked={!settings.disableMessageSound} onChange={(e) => {
            unlockSound();
            client.UI.updateUserCustomSettings({ disableMessageSound: !e.target.checked });
          }} />
          {notificationStrings().soundSetting}
        </label>
        <label className="wb-check">
          <input type="checkbox" checked={!settings.disableMessageNotification} onChange={(e) => {
            if (e.target.checked) askNotificationPermission();
            client.UI.updateUserCustomSettings({ disableMessageNotification: !e.target.checked });
          }} />
          {notificationStrings().notificationSetting}
        </label>
        <AvatarSetting />
      </div>
    </details>
  );
}
