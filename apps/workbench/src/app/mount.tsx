import { createRoot, type Root } from 'react-dom/client';
import uiCss from '../ui/ui.css?inline';
import workbenchCss from './workbench.css?inline';
import { App } from './App.tsx';

/** `window.FrontdeskWorkbench.mount(element, options)`, as /sdk/login.js calls it. */
export interface MountOptions {
  /** An agent session token (the SDK login exchange); without it the sign-in screen is shown. */
  token?: string;
  /** `element` is a floating panel over the host page (a CRM); a floating button shows and hides it. */
  floating?: boolean;
  /** The Frontdesk server; default: the origin this script came from. */
  baseUrl?: string;
  appId?: string;
  /** Share one session between the tabs of this browser (the SDK's multi-tab mode). */
  multiTab?: boolean;
  /** Passed by the SDK login; the workbench reads the agent from the SDK. */
  agent?: unknown;
  deviceId?: string;
}

export interface MountedWorkbench {
  unmount(): void;
}

const STYLE_ID = 'frontdesk-workbench-styles';

/** The styles travel inside the script, so a host page only has to load the one module. */
function ensureStyles() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = `${uiCss}\n${workbenchCss}`;
  document.head.append(style);
}

const roots = new WeakMap<Element, Root>();

/**
 * Renders the workbench into `element`. Used by the workbench page itself and by the SDK login
 * script (`window.FrontdeskWorkbench.mount(element, { token, floating, baseUrl, appId })`).
 */
export function mount(element: HTMLElement, options: MountOptions = {}, isEmbedded = true): MountedWorkbench {
  ensureStyles();
  roots.get(element)?.unmount();
  element.classList.add('fd-root');
  const root = createRoot(element);
  roots.set(element, root);
  const clientOptions = { baseUrl: options.baseUrl, appId: options.appId, multiTab: options.multiTab };
  root.render(<App token={options.token} floating={options.floating ?? false} isEmbedded={isEmbedded} host={element} clientOptions={clientOptions} />);
  return {
    unmount() {
      root.unmount();
      roots.delete(element);
    },
  };
}
