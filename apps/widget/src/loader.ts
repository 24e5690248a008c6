/**
 * The snippet a business pastes:
 *
 *   <script type="module" src="(your Frontdesk server)/widget/loader.js"
 *           data-app-id="demo" data-channel-id="default" async></script>
 *
 * It puts a floating launcher button in a shadow root and loads the chat panel (Preact) only when
 * the visitor opens it. It also defines <frontdesk-chat>, the inline chat for Vue, React or plain
 * HTML pages. Nothing leaks into the host page but `window.Frontdesk`, the <frontdesk-widget> host
 * element and the <frontdesk-chat> element definition: styles live in shadow roots.
 */
import { LAUNCHER_LABELS, isRightToLeft, pickLocale, type Locale } from './locales/launcher.ts';
import { adoptStyles } from './shadow-styles.ts';
import { mergeProfile } from './profile.ts';
import type { ContactProfileInput, VisitorIdentity } from '@frontdesk/sdk-visitor';
import type { PanelHandle, WidgetConfig } from './panel/panel.tsx';

type Command = [name: string, ...args: unknown[]];
interface FrontdeskApi {
  (...command: Command): void;
  /** Commands queued by the async stub before this script ran. */
  q?: ArrayLike<unknown>[];
  version?: string;
}

const VERSION = '0.1.0';
const scriptUrl = import.meta.url;
const SCRIPT = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) => s.src === scriptUrl);

function readConfig(read: (name: string) => string | null | undefined): WidgetConfig {
  // By default the server the loader came from: the URL above /widget/ (it may sit under a path prefix).
  const server = read('server') || new URL('..', scriptUrl).href;
  return {
    serverUrl: server.replace(/\/+$/, ''),
    appId: read('app-id') || '',
    // 'default' (or none) is the app's default channel, which the API finds without its id.
    channelId: read('channel-id') && read('channel-id') !== 'default' ? read('channel-id')! : undefined,
    locale: pickLocale(read('locale'), navigator.languages ?? [navigator.language]),
    color: safeColor(read('color')),
    identity: undefined,
    profile: undefined,
    name: read('visitor-name') || undefined,
    mapUrl: read('map-url') || undefined,
    debug: read('debug') === 'true' || read('debug') === '',
    maxFileBytes: Number(read('max-file-mb')) > 0 ? Math.floor(Number(read('max-file-mb')) * 1024 * 1024) : undefined,
  };
}

/** A CSS colour the browser understands, else the default (no other CSS may come in this way). */
function safeColor(value: string | null | undefined): string | undefined {
  return value && CSS.supports('color', value) && !/[;{}]/.test(value) ? value : undefined;
}

function loadPanel() {
  return import('./panel/panel.tsx');
}

const LAUNCHER_CSS = `
:host{all:initial}
.launcher{position:fixed;bottom:20px;z-index:2147483646;display:flex;align-items:center;gap:8px;
 padding:0 20px;height:52px;border:0;border-radius:26px;cursor:pointer;
 font:600 15px/1 system-ui,-apple-system,"Segoe UI","Noto Sans",sans-serif;
 background:var(--fd-accent,#2563eb);color:var(--fd-on-accent,#fff);box-shadow:0 6px 20px rgb(0 0 0/.25);
 transition:transform .15s}
.launcher:hover{transform:translateY(-2px)}
.launcher:focus-visible{outline:3px solid var(--fd-focus,#111);outline-offset:3px;box-shadow:0 0 0 6px #fff}
.launcher[aria-expanded=true]{display:none}
.right{right:20px}.left{left:20px}
.launcher svg{width:24px;height:24px;flex:none}
.badge{position:absolute;top:-6px;inset-inline-end:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
@media (max-width:600px){.launcher{bottom:16px;height:48px;padding:0 16px}.right{right:16px}.left{left:16px}}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`;

/** The chat bubble icon, built with DOM calls (no innerHTML: pages enforcing Trusted Types allow it). */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.3 1.3 0 1 0 0 2.6A1.3 1.3 0 0 0 7 10zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z',
  );
  svg.append(path);
  return svg;
}

/** Black or white, whichever reads better on the accent colour (WCAG relative luminance). */
function textColorOn(host: HTMLElement, color: string): string {
  const probe = document.createElement('i');
  probe.style.color = color;
  host.shadowRoot!.append(probe);
  const [r, g, b] = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? ['0', '0', '0']).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  probe.remove();
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.4 ? '#111' : '#fff';
}

function applyTheme(host: HTMLElement, config: WidgetConfig) {
  if (!config.color) return;
  host.style.setProperty('--fd-accent', config.color);
  host.style.setProperty('--fd-on-accent', textColorOn(host, config.color));
}

/** The floating launcher of the snippet and the popup panel it opens. */
function createLauncher(config: WidgetConfig, position: 'left' | 'right') {
  const host = document.createElement('frontdesk-widget');
  host.style.cssText = 'all:initial!important';
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, LAUNCHER_CSS);
  const dir = isRightToLeft(config.locale) ? 'rtl' : 'ltr';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `launcher ${position}`;
  button.dir = dir;
  button.lang = config.locale;
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  button.append(chatIcon(), LAUNCHER_LABELS[config.locale]);
  root.append(button);
  document.body.append(host);
  applyTheme(host, config);

  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.setAttribute('aria-hidden', 'true');
  /** A count on the launcher while the panel is closed; the button's name says it too. */
  const showUnread = (count: number, label: string) => {
    badge.textContent = String(count);
    if (count) button.append(badge);
    else badge.remove();
    if (count) button.setAttribute('aria-label', `${LAUNCHER_LABELS[config.locale]} (${label})`);
    else button.removeAttribute('aria-label');
  };

  let panel: PanelHandle | undefined;
  let opening: Promise<void> | undefined;
  const open = () => {
    button.setAttribute('aria-expanded', 'true');
    if (panel) return panel.show();
    opening ??= loadPanel().then(
      ({ mountPanel }) => {
        panel = mountPanel(root, { ...config, mode: 'popup', position, onClose: close, onUnread: showUnread, onAttention: open });
      },
      (err) => {
        opening = undefined;
        button.setAttribute('aria-expanded', 'false');
        console.error('[frontdesk] the chat panel failed to load', err);
      },
    );
  };
  const close = () => {
    panel?.hide();
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  button.addEventListener('click', open);
  // A co-browse live on the page before follows the visitor to this one: the panel connects hidden
  // and the capture resumes with a fresh snapshot (the key is panel/cobrowse-model.ts's).
  if (hasCobrowseToResume()) {
    opening ??= loadPanel().then(({ mountPanel }) => {
      if (panel) return;
      panel = mountPanel(root, { ...config, mode: 'popup', position, onClose: close, onUnread: showUnread, onAttention: open });
      if (button.getAttribute('aria-expanded') !== 'true') panel.hide();
    });
  }
  // Warm the panel chunk when the visitor shows intent, so opening feels instant.
  button.addEventListener('pointerenter', () => void loadPanel().catch(() => {}), { once: true });
  return {
    open,
    close,
    setIdentity(identity: VisitorIdentity | undefined) {
      config.identity = identity;
      panel?.setIdentity(identity);
    },
    setProfile(profile: ContactProfileInput) {
      config.profile = mergeProfile(config.profile, profile);
      panel?.setProfile(profile);
    },
  };
}

function hasCobrowseToResume(): boolean {
  try {
    return sessionStorage.getItem('frontdesk.cobrowse') !== null;
  } catch {
    return false;
  }
}

/** <frontdesk-chat app-id="…" channel-id="…" locale="…" color="…" server="…">: the chat inline, filling the element. */
class FrontdeskChatElement extends HTMLElement {
  static observedAttributes = ['locale'];
  private panel: PanelHandle | undefined;
  private mounting = false;
  /** An identity for `POST /v1/visitor/session` (set before the element is connected). */
  identity: VisitorIdentity | undefined = undefined;

  connectedCallback() {
    if (this.panel || this.mounting) return;
    this.mounting = true;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    adoptStyles(root, ':host{all:initial;display:block;position:relative;min-height:360px;height:100%}');
    const config = readConfig((name) => this.getAttribute(name));
    config.identity = this.identity ?? globalIdentity;
    config.profile = globalProfile;
    applyTheme(this, config);
    loadPanel().then(
      ({ mountPanel }) => {
        this.mounting = false;
        if (this.isConnected) this.panel = mountPanel(root, { ...config, mode: 'inline', position: 'right', onClose: () => {} });
      },
      (err) => {
        this.mounting = false;
        console.error('[frontdesk] the chat panel failed to load', err);
      },
    );
  }

  disconnectedCallback() {
    this.panel?.destroy();
    this.panel = undefined;
  }
}

let globalIdentity: VisitorIdentity | undefined;
let globalProfile: ContactProfileInput | undefined;
let launcher: ReturnType<typeof createLauncher> | undefined;
const pending: Command[] = [];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * `Frontdesk('identify', identity)`: who the visitor is for the channel's identity mode (an object
 * with `mode`). `Frontdesk('identify', { name, email, phone, attributes })`: the visitor's contact
 * profile; both at once as `Frontdesk('identify', identity, profile)`.
 */
function identify(args: unknown[]) {
  const [first, second] = args;
  const identity = isObject(first) && 'mode' in first ? (first as unknown as VisitorIdentity) : undefined;
  const profile = (identity ? second : first) as ContactProfileInput | undefined;
  if (identity || first === undefined) {
    // Checked by the server (POST /v1/visitor/session); here only passed on.
    globalIdentity = identity;
    launcher?.setIdentity(globalIdentity);
  }
  if (isObject(profile)) {
    // Checked by the server too (POST /v1/visitor/contact).
    globalProfile = mergeProfile(globalProfile, profile);
    launcher?.setProfile(profile);
  }
}

function run([name, ...args]: Command) {
  if (name === 'identify') identify(args);
  else if (name === 'open') {
    if (launcher) launcher.open();
    else pending.push([name]);
  } else if (name === 'close') launcher?.close();
  else console.warn(`[frontdesk] unknown command "${name}"`);
}

const existing = (window as unknown as { Frontdesk?: FrontdeskApi }).Frontdesk;
const api: FrontdeskApi = (...command: Command) => run(command);
api.version = VERSION;
(window as unknown as { Frontdesk: FrontdeskApi }).Frontdesk = api;
for (const queued of existing?.q ?? []) run(Array.from(queued) as Command);

if (!customElements.get('frontdesk-chat')) customElements.define('frontdesk-chat', FrontdeskChatElement);

if (SCRIPT?.dataset.appId) {
  const config = readConfig((name) => SCRIPT.getAttribute(`data-${name}`));
  config.identity = globalIdentity;
  config.profile = globalProfile;
  const requested = SCRIPT.dataset.position;
  const position = requested === 'left' || requested === 'right' ? requested : isRightToLeft(config.locale as Locale) ? 'left' : 'right';
  const start = () => {
    launcher = createLauncher(config, position);
    for (const command of pending.splice(0)) run(command);
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
