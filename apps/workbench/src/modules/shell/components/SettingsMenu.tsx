import type { UserCustomSettings } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { unlockSound } from '../../offers/state/ringtone.ts';
import { askNotificationPermission } from '../../offers/state/desktop-notification.ts';
import { Icon } from '../../../ui/index.ts';
import { AvatarSetting } from '../../avatar/components/AvatarSetting.tsx';
import { notificationStrings } from '../../notifications/locales/index.ts';
import { shellStrings } from '../locales/index.ts';
import { chooseWorkbenchLocale, WORKBENCH_LOCALES, workbenchLocale, type WorkbenchLocale } from '../../../app/locale.ts';

// NOTE: each language in its own name, so an agent who cannot read the current one still finds theirs.
const LANGUAGE_NAMES: Record<WorkbenchLocale, string> = { en: 'English', zh: '中文' };

/** Ringtone and browser-notification switches (kept by the SDK's UI settings), the agent's picture and the workbench's language (remembered in this browser). */
export function SettingsMenu() {
  const client = useClient();
  const t = shellStrings();
  const [settings, setSettings] = useState<UserCustomSettings>(() => client.UI.getState().settings);
  useClientEvent('uiChanged', (state) => setSettings(state.settings));
  return (
    <details className="wb-menu">
      <summary className="fd-button fd-button--ghost fd-button--sm" aria-label={t.settings}><Icon name="gear" /></summary>
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
          {t.ringSetting}
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
          {t.offerNotificationSetting}
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
        <label className="wb-menu__field">
          {t.language}
          <select className="fd-control" value={workbenchLocale()} onChange={(e) => chooseWorkbenchLocale(e.target.value as WorkbenchLocale)} data-testid="language">
            {WORKBENCH_LOCALES.map((locale) => <option key={locale} value={locale}>{LANGUAGE_NAMES[locale]}</option>)}
          </select>
        </label>
        <AvatarSetting />
      </div>
    </details>
  );
}
