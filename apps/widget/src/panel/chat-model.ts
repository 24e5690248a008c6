import {
  createVisitorClient,
  type ChannelPublicView,
  type ContactProfileInput,
  type Conversation,
  type LocationInput,
  type Message,
  type MessageStatusEvent,
  type VisitorClient,
  type VisitorClientOptions,
  type VisitorDetailsInput,
  type VisitorIdentity,
} from '@frontdesk/sdk-visitor';
import { CallModel } from './call-model.ts';
import { mergeProfile } from '../profile.ts';
import { INITIAL_CHAT_VIEW, newClientId, withStatus, type ChatView, type LeftMessageInput } from './chat-view.ts';
import { CobrowseModel } from './cobrowse-model.ts';
import { STRINGS } from '../locales/index.ts';
import type { Locale } from '../locales/launcher.ts';

const TYPING_TIMEOUT_MS = 8000;
const AGENT_LOOKUP_RETRIES = 3;

/**
 * The panel's state over the visitor SDK: the SDK keeps the socket, outbox and resume positions;
 * this keeps what the panel shows and merges SDK events into it. Messages are keyed by seq, so a
 * message seen twice (history and live, or again after a reconnect) is shown once.
 */
export class ChatModel {
  private client: VisitorClient;
  private listeners = new Set<() => void>();
  private unsubscribes: (() => void)[] = [];
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Lookups of an agent's name asked again after a failure. */
  private agentRetries = new Set<ReturnType<typeof setTimeout>>();
  private started: Promise<void> | undefined;
  /** The channel's public view being read (it carries the server's upload limit). */
  private channelRead: Promise<ChannelPublicView | null> = Promise.resolve(null);
  view: ChatView = INITIAL_CHAT_VIEW;
  /** The leave-a-message form's client id, kept across retries of one submit (stored once). */
  private leftMessageClientId: string | null = null;

  /** The visitor's calls (the call screen and the transcript's call lines). */
  readonly calls: CallModel;
  /** The visitor's co-browse: consent, the indicator, the capture (loaded when one goes live). */
  readonly cobrowse: CobrowseModel;

  /** What the page told of the visitor (`Frontdesk('identify', …)`), sent again to each new client. */
  private profile: ContactProfileInput | undefined;

  constructor(
    private options: VisitorClientOptions,
    hooks: { onRing?: () => void; profile?: ContactProfileInput | undefined } = {},
  ) {
    this.profile = hooks.profile;
    this.calls = new CallModel({ conversationId: () => this.view.conversation?.id ?? null, onRing: hooks.onRing });
    // The agents of a call shown (a third party's among them) are named like the conversation's.
    this.calls.subscribe(() => {
      const { stage } = this.calls.view;
      if (stage.name === 'call') this.learnAgents(stage.call.conversationId ?? '', stage.call.participants.map((p) => (p.role === 'agent' ? p.userId : null)), stage.call.id);
    });
    this.cobrowse = new CobrowseModel({
      client: () => this.client,
      conversationId: () => this.view.conversation?.id ?? null,
      strings: () => STRINGS[(this.options.locale as Locale | undefined) ?? 'en'] ?? STRINGS.en,
      rules: () => {
        const settings = this.view.channel?.cobrowse;
        return { rules: { maskSelectors: settings?.maskSelectors ?? [], blockSelectors: settings?.blockSelectors ?? [], unmaskSelectors: settings?.unmaskSelectors ?? [] }, pausedPages: settings?.pausedPages ?? [] };
      },
      changed: () => this.set({}),
      attention: () => hooks.onRing?.(),
    });
    this.client = this.createClient();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ChatView>) {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }

  private createClient(): VisitorClient {
    const client = createVisitorClient(this.options);
    this.unsubscribes = [
      client.on('state', ({ state }) => this.set({ connection: state })),
      client.on('error', (error) => this.set({ error: error.code })),
      client.on('message', (message) => this.addMessages([message])),
      client.on('messageStatus', (event) => this.onMessageStatus(event)),
      client.on('conversation', (conversation) => this.onConversation(conversation)),
      client.on('typing', (event) => {
        if (event.conversationId !== this.view.conversation?.id || event.senderType === 'visitor') return;
        clearTimeout(this.typingTimer);
        if (event.isTyping) this.typingTimer = setTimeout(() => this.set({ typing: null }), TYPING_TIMEOUT_MS);
        this.set({ typing: event.isTyping ? (event.senderType === 'bot' ? 'bot' : 'agent') : null });
      }),
      client.on('read', (event) => {
        if (event.conversationId === this.view.conversation?.id && event.senderType !== 'visitor') {
          this.set({ agentReadSeq: Math.max(this.view.agentReadSeq, event.seq) });
        }
      }),
      client.on('queuePosition', (event) => {
        if (event.conversationId === this.view.conversation?.id) this.set({ queue: event });
      }),
      ...this.calls.attach(client),
      ...this.cobrowse.attach(client),
    ];
    return client;
  }

  /** Connects, opens (or finds) the visitor's conversation and loads its history. Idempotent. */
  start(): Promise<void> {
    this.started ??= this.run(async () => {
      const channel = (this.channelRead = this.client.channelInfo().catch(() => null));
      // NOTE: shown as soon as read (the bot's name, the call buttons), not only once the history is in.
      void channel.then((view) => view && this.set({ channel: view }));
      await this.client.connect();
      // The visit (page, language, time zone) for the visitor's contact, with what the page told of the visitor.
      this.sendProfile(this.profile ?? {});
      // A visitor back after leaving a message sees the answer, even in a conversation the agent ended.
      const last = await this.client.lastConversation().catch(() => null);
      const answered = last?.status === 'closed' && last.messageLeftAt && last.visitorReadSeq < last.lastSeq ? last : null;
      if (!answered && last?.status !== 'open' && (await channel)?.preChatForm.enabled) {
        this.set({ channel: await channel, preChat: true, ready: true });
        return;
      }
      const conversation = answered ?? (await this.client.startConversation());
      // The channel's privacy rules are needed before a capture resumes.
      void channel.then(() => this.cobrowse.resume(conversation.id));
      await this.open(conversation);
      // Sends restored from an earlier page load that the server has not stored yet.
      for (const event of this.client.pendingMessages()) if (event.conversationId === conversation.id || event.conversationId === null) this.onMessageStatus(event);
      this.set({ channel: await channel, ready: true });
    }).catch(() => {
      this.started = undefined;
    });
    return this.started;
  }

  /** Reads the channel's public view again (who is free changes while the page stays open). */
  refreshChannel() {
    if (!this.view.ready) return;
    void this.client.channelInfo().then(
      (channel) => this.set({ channel }),
      () => {},
    );
  }

  /** Shows a conversation and loads its history (messages and calls). */
  private async open(conversation: Conversation) {
    this.show(conversation);
    void this.calls.loadHistory(conversation.id);
    await this.loadHistory(conversation.id);
  }

  private async loadHistory(conversationId: string) {
    for (let afterSeq = 0; ; ) {
      const page = await this.client.history(conversationId, { afterSeq, limit: 200 });
      this.addMessages(page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
      afterSeq = page.messages[page.messages.length - 1]!.seq;
    }
  }

  /** Shows a conversation (a form before it, pre-chat or leave-a-message, is done). */
  private show(conversation: Conversation) {
    const same = this.view.conversation?.id === conversation.id;
    this.learnAgents(conversation.id, [conversation.agentId]);
    this.set({
      conversation,
      preChat: false,
      agentReadSeq: Math.max(same ? this.view.agentReadSeq : 0, conversation.agentReadSeq),
      messages: same ? this.view.messages : [],
      queue: same ? this.view.queue : null,
      rated: same ? this.view.rated : null,
      typing: same ? this.view.typing : null,
    });
  }

  /** Looks up the names of agents not known yet (the assigned one, the writers of agent messages, and with `callId` the agents of that call). */
  learnAgents(conversationId: string, agentIds: (string | null)[], callId?: string, attempt = 0) {
    for (const agentId of new Set(agentIds)) {
      if (!agentId || agentId in this.view.agents) continue;
      this.set({ agents: { ...this.view.agents, [agentId]: null } });
      void this.client.agent(conversationId, agentId, callId).then(
        (agent) => this.set({ agents: { ...this.view.agents, [agentId]: { name: agent.name, avatarUrl: agent.avatarUrl ? this.options.baseUrl.replace(/\/+$/, '') + agent.avatarUrl : null } } }),
        // Not found now (a network error, a race with the assignment): asked again with the next frame
        // that names it, and shortly (1, 2, 4 s) in case no other frame comes.
        () => {
          const { [agentId]: _failed, ...rest } = this.view.agents;
          this.set({ agents: rest });
          if (attempt >= AGENT_LOOKUP_RETRIES) return;
          const timer = setTimeout(() => {
            this.agentRetries.delete(timer);
            this.learnAgents(conversationId, [agentId], callId, attempt + 1);
          }, 1000 * 2 ** attempt);
          this.agentRetries.add(timer);
        },
      );
    }
  }

  private onConversation(conversation: Conversation) {
    if (conversation.id !== this.view.conversation?.id) return;
    this.learnAgents(conversation.id, [conversation.agentId]);
    const waiting = conversation.routingState === 'queued' || conversation.routingState === 'offered';
    this.set({
      conversation,
      agentReadSeq: Math.max(this.view.agentReadSeq, conversation.agentReadSeq),
      queue: waiting && conversation.status === 'open' ? this.view.queue : null,
      typing: conversation.status === 'open' ? this.view.typing : null,
    });
  }

  private addMessages(incoming: Message[]) {
    const conversationId = this.view.conversation?.id;
    const fresh = incoming.filter((m) => m.conversationId === conversationId);
    if (fresh.length === 0) return;
    const bySeq = new Map(this.view.messages.map((m) => [m.seq, m]));
    for (const message of fresh) bySeq.set(message.seq, message);
    const stored = new Set(fresh.map((m) => m.clientId).filter(Boolean));
    const fromOtherSide = fresh.some((m) => m.senderType === 'agent' || m.senderType === 'bot');
    // Agents who wrote, and supervisors who joined (their notice names them): their names are shown.
    this.learnAgents(conversationId!, fresh.filter((m) => m.senderType === 'agent' || m.kind === 'system').map((m) => m.senderId));
    this.set({
      messages: [...bySeq.values()].sort((a, b) => a.seq - b.seq),
      outgoing: this.view.outgoing.filter((item) => !stored.has(item.clientId)),
      typing: fromOtherSide ? null : this.view.typing,
    });
  }

  private onMessageStatus(event: MessageStatusEvent) {
    if (event.status === 'sent') {
      if (event.message) this.addMessages([event.message]);
      this.set({ outgoing: this.view.outgoing.filter((item) => item.clientId !== event.clientId) });
      return;
    }
    this.set({ outgoing: withStatus(this.view, event, Date.now()) });
  }

  send(text: string) {
    void this.client.send(text).catch(() => {});
  }

  sendLocation(location: LocationInput) {
    void this.client.sendLocation(location).catch(() => {});
  }

  /**
   * The largest file the visitor may send: the server's limit (known once the channel is read),
   * lowered by the snippet's `data-max-file-mb`; null while unknown (the SDK checks again anyway).
   */
  get uploadMaxBytes(): number | null {
    return this.client.uploadMaxBytes;
  }

  async sendFile(file: File) {
    const clientId = newClientId();
    // A file picked while the channel is still being read waits for the server's limit (a snippet's
    // own limit may be higher than the server's: it is known at once, the server's is not).
    await this.channelRead;
    const limitBytes = this.uploadMaxBytes;
    if (limitBytes !== null && file.size > limitBytes) {
      this.set({ outgoing: [...this.view.outgoing, { clientId, kind: 'file', text: file.name, status: 'failed', errorCode: 'FD_FILE_TOO_LARGE', limitBytes, createdAt: Date.now() }] });
      return;
    }
    const kind = file.type.startsWith('image/') ? 'image' : 'file';
    this.set({ outgoing: [...this.view.outgoing, { clientId, kind, text: file.name, status: 'uploading', percent: 0, createdAt: Date.now() }] });
    void this.client
      .sendFile(file, file.name, ({ loadedBytes, totalBytes }) => {
        const percent = totalBytes > 0 ? Math.floor((loadedBytes / totalBytes) * 100) : 0;
        this.set({ outgoing: this.view.outgoing.map((o) => (o.clientId === clientId ? { ...o, percent } : o)) });
      }, { clientId })
      .catch(() => {});
  }

  retry(clientId: string) {
    const item = this.view.outgoing.find((o) => o.clientId === clientId);
    if (!item) return;
    if (item.errorCode === 'FD_FILE_TOO_LARGE' || item.errorCode === 'FD_FILE_TYPE_NOT_ALLOWED') {
      this.set({ outgoing: this.view.outgoing.filter((o) => o !== item) });
      return;
    }
    void this.client.retry(clientId).catch(() => {});
  }

  /** The bytes of a file message (files are served only with the visitor's token). */
  fileBlob(file: NonNullable<Message['file']>): Promise<Blob> {
    return this.client.fetchFile(file);
  }

  dismiss(clientId: string) {
    this.set({ outgoing: this.view.outgoing.filter((o) => o.clientId !== clientId) });
  }

  /** `text`: the draft, sent with the typing frames only where the channel shows it to agents. */
  typing(isTyping: boolean, text = '') {
    if (this.view.connection === 'open') this.client.typing(isTyping, isTyping && this.view.channel?.typingPreview ? text.slice(0, 500) : undefined);
  }

  /** Marks everything shown as read. */
  markRead() {
    const { conversation, messages } = this.view;
    const last = messages[messages.length - 1];
    if (!conversation || !last || last.seq <= conversation.visitorReadSeq) return;
    // NOTE: recorded without a re-render (nothing on screen shows the visitor's own read position);
    // it only keeps this from sending the same read twice.
    this.view.conversation = { ...conversation, visitorReadSeq: last.seq };
    void this.client.markRead(last.seq, conversation.id).catch(() => {});
  }

  rate(stars: number, comment: string): Promise<boolean> {
    return this.attempt(async () => {
      await this.client.rate({ stars, ...(comment.trim() ? { comment: comment.trim() } : {}) }, this.view.conversation?.id);
      this.set({ rated: { stars, comment } });
    });
  }

  requestHuman() {
    void this.run(async () => this.onConversation(await this.client.requestHuman()));
  }

  endConversation() {
    void this.run(async () => this.onConversation(await this.client.endConversation()));
  }

  /** After the conversation ended: a new one (the pre-chat form first, when the channel has one). */
  newConversation() {
    if (this.view.channel?.preChatForm.enabled) return this.set({ preChat: true });
    void this.run(async () => this.open(await this.client.startConversation()));
  }

  /** The pre-chat form's answers: the conversation opens with them. */
  submitPreChat(details: VisitorDetailsInput): Promise<boolean> {
    return this.attempt(async () => {
      await this.open(await this.client.startConversation(details));
    });
  }

  /**
   * The leave-a-message form: it becomes the visitor's open conversation (a new one after an end),
   * kept for agents until one answers. Resolves false when refused (the form stays filled).
   */
  leaveMessage(input: LeftMessageInput): Promise<boolean> {
    this.leftMessageClientId ??= newClientId();
    const clientId = this.leftMessageClientId;
    return this.attempt(async () => {
      const conversation = await this.client.leaveMessage({ ...input, clientId });
      this.leftMessageClientId = null;
      await this.open(conversation);
    });
  }

  /** A new identity: a new visitor token with it (the old visitor's conversation is no longer shown). */
  setIdentity(identity: VisitorIdentity | undefined) {
    this.destroyClient();
    this.options = { ...this.options, identity };
    this.client = this.createClient();
    this.started = undefined;
    this.set({ conversation: null, messages: [], outgoing: [], queue: null, rated: null, ready: false });
    void this.start();
  }

  /** New profile fields of the visitor, merged into what the page said before and sent once connected. */
  setProfile(profile: ContactProfileInput) {
    this.profile = mergeProfile(this.profile, profile);
    if (this.client.state === 'open') this.sendProfile(profile);
  }

  private sendProfile(profile: ContactProfileInput) {
    // NOTE: the chat does not depend on it: a refused field is for the page's developer (console).
    this.client.identify(profile).catch((err: unknown) => console.warn('[frontdesk] identify was refused', err));
  }

  clearError() {
    this.set({ error: null });
  }

  private async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      this.set({ error: (err as { code?: string }).code ?? 'FD_SDK_NETWORK' });
      throw err;
    }
  }

  /** `run` for a form: true when done, false when refused (the error is shown; the form stays filled). */
  private attempt(action: () => Promise<void>): Promise<boolean> {
    return this.run(action).then(
      () => true,
      () => false,
    );
  }

  private destroyClient() {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.client.disconnect();
  }

  destroy() {
    this.destroyClient();
    clearTimeout(this.typingTimer);
    for (const timer of this.agentRetries) clearTimeout(timer);
    this.listeners.clear();
    this.calls.destroy();
    this.cobrowse.destroy();
  }
}
