import { render } from 'preact';
import type { ContactProfileInput, VisitorIdentity } from '@frontdesk/sdk-visitor';
import type { Locale } from '../locales/launcher.ts';
import { format, STRINGS } from '../locales/index.ts';
import { adoptStyles } from '../shadow-styles.ts';
import { App } from './App.tsx';
import { ChatModel } from './chat-model.ts';
import { PANEL_CSS } from './styles.ts';

/** What the snippet (data-* attributes) or <frontdesk-chat> (attributes) configure. */
export interface WidgetConfig {
  /** The Frontdesk server, by default the origin the loader came from. */
  serverUrl: string;
  appId: string;
  channelId: string | undefined;
  locale: Locale;
  /** Accent colour (any CSS colour). */
  color: string | undefined;
  /** Passed to `POST /v1/visitor/session` (identity modes). */
  identity: VisitorIdentity | undefined;
  /** Who the page says the visitor is (name, email, phone, attributes), for the visitor's contact. */
  profile: ContactProfileInput | undefined;
  /** Display name of an anonymous visitor. */
  name: string | undefined;
  /** Map link template with {lat} and {lng}; OpenStreetMap by default. */
  mapUrl: string | undefined;
  /** Writes the SDK's log records to the browser console (`data-debug`). */
  debug: boolean;
  /**
   * A lower file size limit than the server's (`data-max-file-mb`). The server's limit, from the
   * channel's public view, always applies: a higher value here changes nothing.
   */
  maxFileBytes: number | undefined;
}

export interface PanelOptions extends WidgetConfig {
  /** popup: the launcher's floating dialog (full screen on small screens); inline: fills its element. */
  mode: 'popup' | 'inline';
  position: 'left' | 'right';
  onClose: () => void;
  /** Messages from the agent or bot that arrived while the panel was hidden (0 when shown), and how to say it. */
  onUnread?: (count: number, label: string) => void;
  /** A call rings for the visitor while the panel is hidden: the launcher opens it. */
  onAttention?: () => void;
}

export interface PanelHandle {
  show(): void;
  hide(): void;
  setIdentity(identity: VisitorIdentity | undefined): void;
  setProfile(profile: ContactProfileInput): void;
  destroy(): void;
}

/** Renders the chat panel into a shadow root; the loader calls this after the lazy import. */
export function mountPanel(root: ShadowRoot, options: PanelOptions): PanelHandle {
  adoptStyles(root, PANEL_CSS);
  const container = document.createElement('div');
  root.append(container);
  const model = new ChatModel({
    baseUrl: options.serverUrl,
    appId: options.appId,
    ...(options.channelId ? { channelId: options.channelId } : {}),
    ...(options.identity !== undefined ? { identity: options.identity } : {}),
    ...(options.name ? { name: options.name } : {}),
    locale: options.locale,
    ...(options.maxFileBytes ? { uploadMaxBytes: options.maxFileBytes } : {}),
    ...(options.debug ? { logger: (record) => console[record.level === 'debug' ? 'log' : record.level](`[${record.logger}] ${record.message}`, record.context ?? '') } : {}),
  }, { onRing: () => !visible && options.onAttention?.(), profile: options.profile });
  let visible = true;
  const draw = () => render(<App model={model} options={options} visible={visible} />, container);
  draw();
  void model.start();

  // Unread count for the launcher's badge: the other side's messages newer than what was on screen.
  let seenSeq = 0;
  let unread = 0;
  const lastSeq = () => model.view.messages[model.view.messages.length - 1]?.seq ?? 0;
  model.subscribe(() => {
    if (visible) return void (seenSeq = lastSeq());
    const count = model.view.messages.filter((m) => m.seq > seenSeq && (m.senderType === 'agent' || m.senderType === 'bot')).length;
    if (count !== unread) options.onUnread?.((unread = count), format(STRINGS[options.locale].unread, { count }));
  });
  return {
    show() {
      visible = true;
      seenSeq = lastSeq();
      if (unread) options.onUnread?.((unread = 0), '');
      draw();
      void model.start();
      model.refreshChannel();
    },
    hide() {
      visible = false;
      draw();
    },
    setIdentity(identity) {
      model.setIdentity(identity);
    },
    setProfile(profile) {
      model.setProfile(profile);
    },
    destroy() {
      render(null, container);
      container.remove();
      model.destroy();
    },
  };
}
