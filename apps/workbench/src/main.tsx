import { workbenchLocaleTag } from './app/locale.ts';
import { mount, type MountOptions, type MountedWorkbench } from './app/mount.tsx';
import { localizeValidationMessages } from './app/validation-locale.ts';

declare global {
  interface Window {
    /** Set by this bundle: the SDK login script mounts the workbench into a CRM page with it. */
    FrontdeskWorkbench?: { mount(element: HTMLElement, options?: MountOptions): MountedWorkbench };
  }
}

localizeValidationMessages();
window.FrontdeskWorkbench = { mount: (element, options) => mount(element, options, true) };

// The workbench page (index.html) has this element; a host page that loads the bundle does not.
const pageRoot = document.getElementById('frontdesk-workbench-page');
if (pageRoot) {
  // The page's language follows the workbench's (screen readers, fonts); a host page keeps its own.
  document.documentElement.lang = workbenchLocaleTag();
  mount(pageRoot, {}, false);
  // Installable (web manifest) and able to notify where pages may not; only the workbench's own page.
  navigator.serviceWorker?.register('/workbench/sw.js', { scope: '/workbench/' }).catch(() => undefined);
}
