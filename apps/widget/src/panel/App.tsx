import { createContext } from 'preact';
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { format, STRINGS, type Strings } from '../locales/index.ts';
import { isRightToLeft } from '../locales/launcher.ts';
import { interleave, transcriptLines } from './call-transcript.ts';
import type { ChatModel } from './chat-model.ts';
import type { ChatView } from './chat-view.ts';
import { CallButtons } from './components/CallButtons.tsx';
import { CallSlot } from './components/CallSlot.tsx';
import { CobrowseButton, CobrowseCard } from './components/CobrowseCard.tsx';
import { Composer } from './components/Composer.tsx';
import { LeaveMessageForm } from './components/LeaveMessageForm.tsx';
import { MessageItem, OutgoingMessage } from './components/MessageItem.tsx';
import { PreChatForm } from './components/PreChatForm.tsx';
import { RatingForm } from './components/RatingForm.tsx';
import type { PanelOptions } from './panel.tsx';
import { useCallView } from './use-call-view.ts';

export interface PanelContext {
  t: Strings;
  options: PanelOptions;
  model: ChatModel;
  view: ChatView;
}
export const Panel = createContext<PanelContext>(null as unknown as PanelContext);
export const usePanel = () => useContext(Panel);

function useView(model: ChatModel): ChatView {
  const [, setVersion] = useState(0);
  useEffect(() => model.subscribe(() => setVersion((n) => n + 1)), [model]);
  return model.view;
}

const CLOSE_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round">
    <path d="M6 6l12 12M18 6L6 18" />
  </svg>
);
const HEADSET_ICON = (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M4 14v-2a8 8 0 0 1 16 0v2" />
    <rect x="3" y="13" width="4" height="6" rx="1.5" />
    <rect x="17" y="13" width="4" height="6" rx="1.5" />
    <path d="M19 19a3 3 0 0 1-3 3h-3" />
  </svg>
);
const STAR_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
    <path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z" />
  </svg>
);

export function App({ model, options, visible }: { model: ChatModel; options: PanelOptions; visible: boolean }) {
  const view = useView(model);
  const calls = useCallView(model.calls);
  const t = STRINGS[options.locale];
  const [ratingOpen, setRatingOpen] = useState(false);
  const [leaveOpen, setLeaveOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  // Focus the message box when the panel opens (the launcher gives focus back when it closes).
  useEffect(() => {
    if (visible && options.mode === 'popup') panelRef.current?.querySelector('textarea')?.focus();
  }, [visible]);

  // Keep the newest message in view unless the visitor scrolled up to read.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stickToBottom.current) log.scrollTop = log.scrollHeight;
  }, [view.messages.length, view.outgoing.length, view.typing, calls.history]);

  // Reopened: the newest message in view. NOTE: a hidden panel has no layout, so the scroll above
  // did nothing for what arrived while it was closed (or loaded before it was first shown).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (!visible || !log) return;
    stickToBottom.current = true;
    log.scrollTop = log.scrollHeight;
  }, [visible]);

  // Read state: what the visitor sees while the panel is open counts as read.
  useEffect(() => {
    if (visible && view.ready && (typeof document === 'undefined' || document.visibilityState === 'visible')) model.markRead();
  }, [visible, view.ready, view.messages.length]);
  useEffect(() => {
    const onVisible = () => visible && document.visibilityState === 'visible' && model.markRead();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [visible]);

  // On a phone the popup covers the page: it is modal, and Tab cycles inside it.
  const fullScreen = options.mode === 'popup' && typeof matchMedia === 'function' && matchMedia('(max-width: 600px)').matches;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Tab' && fullScreen) return wrapFocus(event, panelRef.current);
    if (event.key !== 'Escape') return;
    if (ratingOpen) setRatingOpen(false);
    else if (options.mode === 'popup') options.onClose();
    else return;
    event.stopPropagation();
  };

  const { conversation, channel, connection } = view;
  const closed = conversation?.status === 'closed';
  const withBot = conversation?.routingState === 'bot';
  // "Online" only while someone can answer: an agent has the conversation, or one serving the channel is free or busy.
  const hasAgent = conversation?.status === 'open' && conversation.agentId !== null;
  const availability = channel?.availability;
  const isAnswerable = hasAgent || channel?.isStaffed !== false;
  const waitMinutes = !hasAgent && availability?.expectedWaitSeconds ? Math.max(1, Math.ceil(availability.expectedWaitSeconds / 60)) : null;
  const status =
    !view.ready && connection !== 'reconnecting'
      ? t.connecting
      : connection === 'reconnecting' || connection === 'connecting'
        ? t.reconnecting
        : isAnswerable
          ? waitMinutes ? format(t.expectedWait, { minutes: waitMinutes }) : t.online
          : availability?.state === 'away' ? t.agentsAway : t.noAgentOnline;
  // Nobody to answer (no agent free, or off hours): never a silent end, the visitor may leave a message.
  const nobodyToAnswer = !hasAgent && !!channel && (!channel.isOpen || channel.isStaffed === false);
  const released = closed && conversation?.routingState === 'released';
  const mayLeaveMessage = conversation?.status === 'open' && !withBot && !hasAgent && !conversation.messageLeftAt && nobodyToAnswer;
  const leftBy = conversation?.visitorDetails?.email ? t.emailChannel : conversation?.visitorDetails?.phone ? t.phoneChannel : null;
  const botName = channel?.bot.enabled ? channel.bot.name : t.bot;
  // The default channel's stored name is an internal label ("Default"): visitors get the localized title.
  const title = channel?.name && !/^default$/i.test(channel.name) ? channel.name : t.title;
  const dir = isRightToLeft(options.locale) ? 'rtl' : 'ltr';

  return (
    <Panel.Provider value={{ t, options, model, view }}>
      <div
        ref={panelRef}
        class={`panel ${options.mode} ${options.position}`}
        hidden={!visible}
        role={options.mode === 'popup' ? 'dialog' : 'region'}
        aria-modal={fullScreen ? 'true' : undefined}
        aria-labelledby="fd-title"
        dir={dir}
        lang={options.locale}
        onKeyDown={onKeyDown}
      >
        <header>
          {withBot && channel?.bot.avatarUrl ? (
            <Avatar name={botName} url={channel.bot.avatarUrl} />
          ) : (
            <span class="avatar" aria-hidden="true">
              {HEADSET_ICON}
            </span>
          )}
          <div class="who">
            <h2 id="fd-title">{title}</h2>
            <p class="status" role="status">
              {status}
            </p>
          </div>
          <div class="tools">
            <CallButtons />
            <button type="button" class="icon" aria-label={t.rate} aria-expanded={ratingOpen} title={t.rate} onClick={() => setRatingOpen(!ratingOpen)}>
              {STAR_ICON}
            </button>
            {/* After the rating button: without calls it stays the header's first control, where the modal panel's Tab wraps. */}
            <CobrowseButton />
            {options.mode === 'popup' && (
              <button type="button" class="icon" aria-label={t.close} title={t.close} onClick={options.onClose}>
                {CLOSE_ICON}
              </button>
            )}
          </div>
        </header>
        <CallSlot />
        <CobrowseCard />
        {view.ready && connection !== 'open' && (
          <p class="banner reconnecting" role="alert">
            {t.reconnecting}
          </p>
        )}
        {channel && !channel.isOpen && !closed && (
          <p class="banner">
            {channel.offHoursMessage ?? t.offHours}
            {channel.nextOpeningAt && ` ${format(t.nextOpening, { time: formatOpening(channel.nextOpeningAt, options.locale) })}`}
          </p>
        )}
        {view.queue && !closed && (
          <p class="banner queue" role="status">
            {format(t.queuePosition, { position: view.queue.position })}
            {view.queue.estimatedWaitSeconds !== null && ` ${format(t.waitEstimate, { minutes: Math.max(1, Math.ceil(view.queue.estimatedWaitSeconds / 60)) })}`}
          </p>
        )}
        {view.error && (
          <p class="error" role="alert">
            <span>{view.error.startsWith('FD_IDENTITY') ? t.identityFailed : t.error}</span>
            {view.ready ? (
              <button type="button" onClick={() => model.clearError()}>
                {t.cancel}
              </button>
            ) : (
              <button type="button" onClick={() => (model.clearError(), void model.start())}>
                {t.retry}
              </button>
            )}
          </p>
        )}
        <div
          class="log"
          ref={logRef}
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label={t.dialogLabel}
          tabIndex={0}
          onScroll={(e) => {
            const log = e.currentTarget;
            stickToBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
          }}
        >
          <ol>
          {channel?.welcomeMessage && !view.preChat && (
            <li class="notice strong welcome" dir="auto">
              {channel.welcomeMessage}
            </li>
          )}
          {interleave(view.messages, transcriptLines(calls.history, calls.photos, t)).map((item) =>
            'line' in item ? (
              <li key={item.line.key} class="notice call-line" data-line={item.line.key}>
                {item.line.text}
              </li>
            ) : (
              <MessageItem key={item.message.id} message={item.message} botName={botName} botAvatar={channel?.bot.avatarUrl ?? null} />
            ),
          )}
          {view.outgoing.map((item) => (
            <OutgoingMessage key={item.clientId} item={item} />
          ))}
          </ol>
        </div>
        <div class="typing" aria-live="polite">
          {view.typing && format(t.typing, { name: view.typing === 'bot' ? botName : (view.conversation?.agentId && view.agents[view.conversation.agentId]?.name) || t.agent })}
        </div>
        {conversation && (
          <div class="actions">
            {withBot && !closed && (
              <button type="button" class="chip" onClick={() => model.requestHuman()}>
                {t.handOff}
              </button>
            )}
            {!closed && conversation.routingState === 'assigned' && (
              <button type="button" class="chip" onClick={() => model.endConversation()}>
                {t.endConversation}
              </button>
            )}
            {closed && (
              <button type="button" class="chip primary" onClick={() => model.newConversation()}>
                {t.newConversation}
              </button>
            )}
            {closed && !view.rated && !ratingOpen && (
              <button type="button" class="chip" onClick={() => setRatingOpen(true)}>
                {t.rate}
              </button>
            )}
          </div>
        )}
        {conversation?.messageLeftAt && !closed && !hasAgent && leftBy && (
          <p class="banner left" role="status" data-testid="message-left">
            {format(t.messageLeftThanks, { channel: leftBy })}
          </p>
        )}
        {mayLeaveMessage && !leaveOpen && (
          <div class="actions">
            <button type="button" class="chip" onClick={() => setLeaveOpen(true)} data-testid="leave-message-offer">
              {t.leaveMessageOffer}
            </button>
          </div>
        )}
        {ratingOpen && <RatingForm onDone={() => setRatingOpen(false)} />}
        {view.preChat ? (
          nobodyToAnswer ? <LeaveMessageForm /> : <PreChatForm />
        ) : released || (mayLeaveMessage && leaveOpen) ? (
          <LeaveMessageForm onCancel={released ? undefined : () => setLeaveOpen(false)} />
        ) : (
          !closed && <Composer />
        )}
      </div>
    </Panel.Provider>
  );
}

export function Avatar({ name, url }: { name: string; url: string | null }) {
  const [broken, setBroken] = useState(false);
  if (url && /^https?:\/\//i.test(url) && !broken) {
    return <img class="avatar" src={url} alt="" referrerpolicy="no-referrer" onError={() => setBroken(true)} />;
  }
  return (
    <span class="avatar" aria-hidden="true">
      {Array.from(name.trim())[0]?.toUpperCase() ?? '?'}
    </span>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), textarea, input:not([type=file]):not([type=radio]), input[type=radio]:checked, [tabindex="0"]';

/** Keeps Tab and Shift+Tab inside the panel. */
function wrapFocus(event: KeyboardEvent, panel: HTMLElement | null) {
  if (!panel) return;
  const items = Array.from(panel.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
  const first = items[0];
  const last = items[items.length - 1];
  const active = (panel.getRootNode() as ShadowRoot).activeElement;
  if (event.shiftKey && active === first) {
    last?.focus();
    event.preventDefault();
  } else if (!event.shiftKey && active === last) {
    first?.focus();
    event.preventDefault();
  }
}

function formatOpening(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
}
