/*
 * The workbench's service worker: it makes the workbench installable and shows notifications where
 * a page may not (phones: `new Notification()` throws there). A click on one focuses the
 * workbench (or opens it) at the conversation. No caching: the workbench needs the server anyway.
 */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
// NOTE: a fetch handler is what makes browsers offer to install the app; it lets every request through.
self.addEventListener('fetch', () => {});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || './', self.registration.scope).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url.startsWith(self.registration.scope));
      if (open) return open.focus().then((w) => w && w.navigate && w.url !== target ? w.navigate(target) : w);
      return self.clients.openWindow(target);
    }),
  );
});
