import type { CannedResponse, ChannelSendInput, Conversation, ConversationChannel, ConversationNote, Message, MessageTemplate, SetWrapUpBody, Whisper, WrapUp, WrapUpLabel } from '@frontdesk/protocol';
import type { RestClient } from './rest.ts';

/**
 * Reads and writes that need only REST and the login token (no connection, no conversation list): any
 * tab runs them itself, leader or not.
 */
export class AgentData {
  #cannedResponses: CannedResponse[] | null = null;

  constructor(private readonly rest: RestClient) {}

  async search(options: { status?: 'open' | 'closed' | undefined; limit?: number | undefined }): Promise<Conversation[]> {
    const { conversations } = await this.rest.get<{ conversations: Conversation[] }>('/v1/conversations', { mine: true, status: options.status, limit: options.limit ?? 50 });
    return conversations;
  }

  /** Fetched once and cached (`refresh` fetches again); `query` matches a shortcut prefix, the title or the text. */
  async cannedResponses(query: string | undefined, refresh: boolean): Promise<CannedResponse[]> {
    if (!this.#cannedResponses || refresh) {
      const { cannedResponses } = await this.rest.get<{ cannedResponses: CannedResponse[] }>('/v1/canned-responses');
      this.#cannedResponses = cannedResponses;
    }
    const q = query?.trim().toLowerCase();
    if (!q) return [...this.#cannedResponses];
    const shortcut = q.replace(/^\//, '');
    return this.#cannedResponses.filter((c) => c.shortcut.startsWith(shortcut) || c.title.toLowerCase().includes(q) || c.text.toLowerCase().includes(q));
  }

  /** One of the agent's own canned responses, created (no `id`) or changed; the cached list is read again next time. */
  async savePersonalCannedResponse(input: { id?: string | undefined; shortcut: string; title: string; text: string }): Promise<CannedResponse> {
    const { id, ...body } = input;
    const saved = id
      ? await this.rest.patch<CannedResponse>(`/v1/canned-responses/personal/${encodeURIComponent(id)}`, body)
      : await this.rest.post<CannedResponse>('/v1/canned-responses/personal', body);
    this.#cannedResponses = null;
    return saved;
  }

  async deletePersonalCannedResponse(id: string): Promise<undefined> {
    await this.rest.delete<unknown>(`/v1/canned-responses/personal/${encodeURIComponent(id)}`);
    this.#cannedResponses = null;
    return undefined;
  }

  // ── wrap-up: disposition codes and tags ─────────────────────────────────────────────
  async wrapUpLabels(): Promise<WrapUpLabel[]> {
    return (await this.rest.get<{ labels: WrapUpLabel[] }>('/v1/wrap-up/labels')).labels;
  }

  async wrapUp(conversationId: string): Promise<WrapUp | null> {
    return (await this.rest.get<{ wrapUp: WrapUp | null }>(`${path(conversationId)}/wrap-up`)).wrapUp;
  }

  setWrapUp(conversationId: string, input: SetWrapUpBody): Promise<WrapUp> {
    return this.rest.put<WrapUp>(`${path(conversationId)}/wrap-up`, input);
  }

  async notes(conversationId: string): Promise<ConversationNote[]> {
    const { notes } = await this.rest.get<{ notes: ConversationNote[] }>(`/v1/conversations/${encodeURIComponent(conversationId)}/notes`);
    return notes;
  }

  addNote(conversationId: string, text: string): Promise<ConversationNote> {
    return this.rest.post<ConversationNote>(`/v1/conversations/${encodeURIComponent(conversationId)}/notes`, { text });
  }

  // ── messaging channels (SPEC M39): WhatsApp, Messenger, Telegram, Viber ──────────────────
  async channel(conversationId: string): Promise<ConversationChannel | null> {
    return (await this.rest.get<{ channel: ConversationChannel | null }>(`${path(conversationId)}/channel`)).channel;
  }

  async channelTemplates(channelId: string): Promise<MessageTemplate[]> {
    return (await this.rest.get<{ templates: MessageTemplate[] }>(`/v1/channel-connections/${encodeURIComponent(channelId)}/templates`)).templates;
  }

  async sendThroughChannel(conversationId: string, input: ChannelSendInput): Promise<Message> {
    return (await this.rest.post<{ message: Message }>(`${path(conversationId)}/channel-send`, input)).message;
  }

  // ── supervision (SPEC M28): the rest is the admin API's (chat-namespace.ts) ────────────────
  async whispers(conversationId: string): Promise<Whisper[]> {
    return (await this.rest.get<{ whispers: Whisper[] }>(`${path(conversationId)}/whispers`)).whispers;
  }

}

const path = (conversationId: string) => `/v1/conversations/${encodeURIComponent(conversationId)}`;
