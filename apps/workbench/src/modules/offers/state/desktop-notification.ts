/** Browser notifications for offers that ring while the workbench tab is hidden. */

export function askNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** Shows a notification when the tab is hidden and the agent allowed it; a click brings the tab back. */
export function notifyWhileHidden(options: { title: string; body: string; tag: string; onClick: () => void }): Notification | null {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden) return null;
  try {
    const notification = new Notification(options.title, { body: options.body, tag: options.tag, requireInteraction: true });
    notification.onclick = () => {
      window.focus();
      options.onClick();
      notification.close();
    };
    return notification;
  } catch {
    // Some browsers (phones) only allow notifications from a service worker: the workbench's
    // (sw.js) shows it, and a click on it focuses this page.
    void navigator.serviceWorker
      ?.getRegistration('/workbench/')
      .then((registration) => registration?.showNotification(options.title, { body: options.body, tag: options.tag, data: { url: location.href } }))
      .catch(() => undefined);
    return null;
  }
}
