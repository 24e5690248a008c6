import type { KeyValueStorage, UiNamespace, UiState, UserCustomSettings } from '../types.ts';

const SETTINGS_KEY = 'frontdesk.agent.uiSettings';

/**
 * TCCC `tccc.UI`: the SDK draws nothing; it keeps what should be visible and the agent's ringtone
 * and notification settings (persisted), and tells the workbench with `onChange` (`uiChanged`).
 */
export function createUiController(storage: KeyValueStorage, onChange: (state: UiState) => void): UiNamespace {
  let state: UiState = {
    visible: true,
    floatButtonVisible: true,
    workbenchVisible: true,
    notificationBarVisible: true,
    settings: { disableRingtone: false, disableNotification: false, disableMessageSound: false, disableMessageNotification: false, ...readSettings(storage) },
  };
  const set = (patch: Partial<UiState>) => {
    state = { ...state, ...patch };
    onChange(state);
  };
  const showFloatButton = () => set({ floatButtonVisible: true });
  const hideFloatButton = () => set({ floatButtonVisible: false });
  return {
    hide: () => set({ visible: false }),
    show: () => set({ visible: true }),
    showFloatButton,
    hideFloatButton,
    // The seed writes them so (TCCC manual: tccc.UI.showfloatButton / hidefloatButton).
    showfloatButton: showFloatButton,
    hidefloatButton: hideFloatButton,
    showWorkbench: () => set({ workbenchVisible: true }),
    hideWorkbench: () => set({ workbenchVisible: false }),
    showNotificationBar: () => set({ notificationBarVisible: true }),
    hideNotificationBar: () => set({ notificationBarVisible: false }),
    updateUserCustomSettings(settings) {
      const next: UserCustomSettings = { ...state.settings };
      if (typeof settings.disableRingtone === 'boolean') next.disableRingtone = settings.disableRingtone;
      if (typeof settings.disableNotification === 'boolean') next.disableNotification = settings.disableNotification;
      if (typeof settings.disableMessageSound === 'boolean') next.disableMessageSound = settings.disableMessageSound;
      if (typeof settings.disableMessageNotification === 'boolean') next.disableMessageNotification = settings.disableMessageNotification;
      try {
        storage.setItem(SETTINGS_KEY, JSON.stringify(next));
      } catch {
        // storage full or denied: the setting still holds for this page
      }
      set({ settings: next });
    },
    getState: () => state,
  };
}

function readSettings(storage: KeyValueStorage): Partial<UserCustomSettings> {
  try {
    const raw = storage.getItem(SETTINGS_KEY);
    return raw ? (JSON.parse(raw) as Partial<UserCustomSettings>) : {};
  } catch {
    return {};
  }
}
