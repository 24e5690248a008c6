import type {
  ChannelConnection,
  ConnectChannelInput,
  ConnectedChannel,
  MessageTemplate,
  SendTestMessageResult,
  ActiveSupervision,
  CallSupervisionTimeline,
  LiveCall,
  AgentSkills,
  AgentState,
  AgentStatusChange,
  ApiKey,
  Call,
  App,
  Area,
  CannedResponse,
  Channel,
  ChannelFaq,
  ChannelIdentitySecret,
  Conversation,
  ConversationList,
  ConversationRouting,
  CreateAgentBody,
  CreateApiKeyReply,
  CreateCannedResponseBody,
  CreateChannelBody,
  CreateFaqBody,
  CreateQueueBody,
  CreateQueueGroupBody,
  CreateWebhookSubscriptionBody,
  Agent,
  MessageList,
  Queue,
  QueueGroup,
  QueueLive,
  ReplayWebhookEventsBody,
  ReplayWebhookEventsReply,
  RotateAppSecretReply,
  AppSecretKind,
  RoutingOverview,
  SetAgentSkillsBody,
  SetAgentStatusBody,
  UpdateAgentBody,
  UpdateAppBody,
  UpdateCannedResponseBody,
  UpdateChannelBody,
  UpdateFaqBody,
  UpdateQueueBody,
  UpdateQueueGroupBody,
  UpdateWebhookSubscriptionBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryStatus,
  WebhookSubscription,
  WebhookSubscriptionWithSecret,
  Message,
  SupervisionMode,
  SupervisionTimeline,
  Whisper,
  WrapUpLabel,
  WrapUpLabelKind,
} from '@frontdesk/protocol';
import type { z } from 'zod';

/**
 * Typed REST calls of supervisors and admins (SPEC M6, M15–M21, M10–M11, M35, M40): the live
 * routing overview, forced status, supervision (monitor, whisper, barge-in, intercept) and ending of conversations; queues, areas, queue
 * groups, agents and their skills, channels and FAQs, canned responses, the app and its secrets,
 * API keys and webhooks. Every call is checked by the server against the caller's role; this module only
 * shapes requests. Inputs are the protocol's request bodies before defaults (`z.input`), replies
 * the parsed types.
 */

/** The one thing this module needs from the base client: a JSON request that throws on errors. */
export interface AdminTransport {
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.output<T>;

export type RoutingOverviewView = Out<typeof RoutingOverview>;
export type QueueLiveView = Out<typeof QueueLive>;
export type AgentSkillsView = Out<typeof AgentSkills>;
export type ApiKeyView = Out<typeof ApiKey>;
export type CreatedApiKey = Out<typeof CreateApiKeyReply>;
export type ConversationRoutingView = Out<typeof ConversationRouting>;
export type MessagePage = Out<typeof MessageList>;
export type DeliveryPage = Out<typeof WebhookDeliveryList>;
export type AgentStatusChangeView = Out<typeof AgentStatusChange>;

export type CreateQueueInput = In<typeof CreateQueueBody>;
export type UpdateQueueInput = In<typeof UpdateQueueBody>;
export type CreateAgentInput = In<typeof CreateAgentBody>;
export type UpdateAgentInput = In<typeof UpdateAgentBody>;
export type SetAgentSkillsInput = In<typeof SetAgentSkillsBody>;
export type SetAgentStatusInput = In<typeof SetAgentStatusBody>;
export type CreateQueueGroupInput = In<typeof CreateQueueGroupBody>;
export type UpdateQueueGroupInput = In<typeof UpdateQueueGroupBody>;
export type CreateChannelInput = In<typeof CreateChannelBody>;
export type UpdateChannelInput = In<typeof UpdateChannelBody>;
export type CreateFaqInput = In<typeof CreateFaqBody>;
export type UpdateFaqInput = In<typeof UpdateFaqBody>;
export type UpdateAppInput = In<typeof UpdateAppBody>;
export type CreateWebhookInput = In<typeof CreateWebhookSubscriptionBody>;
export type UpdateWebhookInput = In<typeof UpdateWebhookSubscriptionBody>;
export type CreateCannedResponseInput = In<typeof CreateCannedResponseBody>;
export type UpdateCannedResponseInput = In<typeof UpdateCannedResponseBody>;
export type ListDeliveriesInput = { subscriptionId?: string | undefined; status?: WebhookDeliveryStatus | undefined; after?: string | undefined; limit?: number | undefined };
export type ReplayEventsInput = In<typeof ReplayWebhookEventsBody>;

function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

const seg = encodeURIComponent;

/** The supervisor and admin calls over a base REST client. */
export function createAdminApi(rest: AdminTransport) {
  const get = <T>(path: string) => rest.request<T>('GET', path);
  const post = <T>(path: string, body?: unknown) => rest.request<T>('POST', path, body ?? {});
  const put = <T>(path: string, body: unknown) => rest.request<T>('PUT', path, body);
  const patch = <T>(path: string, body: unknown) => rest.request<T>('PATCH', path, body);
  const del = async (path: string) => {
    await rest.request<unknown>('DELETE', path);
  };

  return {
    // ── supervision (supervisor and up) ─────────────────────────────────────────────────────
    routing: {
      /** Live queues (waiting, longest wait, occupancy), areas and agents (status, load). */
      overview: () => get<RoutingOverviewView>('/v1/routing/overview'),
      agentState: (agentId: string) => get<AgentState>(`/v1/agents/${seg(agentId)}/state`),
      statusHistory: async (agentId: string, limit = 200) =>
        (await get<{ changes: AgentStatusChangeView[] }>(`/v1/agents/${seg(agentId)}/status-history${query({ limit })}`)).changes,
      /** Force an agent's status (supervisors: any agent of the app). */
      forceStatus: (agentId: string, input: SetAgentStatusInput) => put<AgentState>(`/v1/agents/${seg(agentId)}/status`, input),
      conversationRouting: (conversationId: string) => get<ConversationRoutingView>(`/v1/conversations/${seg(conversationId)}/routing`),
      transfer: (conversationId: string, target: { queueId: string } | { agentId: string }, note?: string) =>
        post<{ ok: true }>(`/v1/conversations/${seg(conversationId)}/transfer`, { ...target, ...(note ? { note } : {}) }),
    },
    calls: {
      /** A call: its parties (and any call of the app, for supervisors). */
      get: (callId: string) => get<Call>(`/v1/calls/${seg(callId)}`),
      /** A conversation's calls, newest first. */
      ofConversation: async (conversationId: string) => (await get<{ calls: Call[] }>(`/v1/conversations/${seg(conversationId)}/calls`)).calls,
      /** The app's live calls with who supervises each (supervisors; the media of supervising is `Call.monitor`). */
      live: async () => (await get<{ calls: LiveCall[] }>('/v1/calls/live')).calls,
      /** Who supervises a call now and every step (who, what, when). */
      supervision: (callId: string) => get<CallSupervisionTimeline>(`/v1/calls/${seg(callId)}/supervision`),
    },
    conversations: {
      list: async (input: { status?: 'open' | 'closed'; limit?: number } = {}) =>
        (await get<Out<typeof ConversationList>>(`/v1/conversations${query(input)}`)).conversations,
      get: (conversationId: string) => get<Conversation>(`/v1/conversations/${seg(conversationId)}`),
      /** Read-only: messages after `afterSeq`, in order (supervisors may read any conversation of their app). */
      messages: (conversationId: string, afterSeq = 0, limit = 100) =>
        get<MessagePage>(`/v1/conversations/${seg(conversationId)}/messages${query({ afterSeq, limit })}`),
      /** End a conversation as a supervisor (`closeBy: admin`). */
      end: (conversationId: string) => post<Conversation>(`/v1/conversations/${seg(conversationId)}/close`),
      // Supervision (SPEC M28; TCCC `Call.monitor` / `Call.intercept` for chats). Each call switches
      // the caller's mode; the server records who did what and when.
      /** Who supervises it now, every step and every whisper. */
      supervision: (conversationId: string) => get<SupervisionTimeline>(`/v1/conversations/${seg(conversationId)}/supervision`),
      /** Enter a mode, or switch to another without leaving. */
      supervise: (conversationId: string, mode: SupervisionMode) => put<ActiveSupervision>(`/v1/conversations/${seg(conversationId)}/supervision`, { mode }),
      /** Read along; nobody is told. */
      monitor: (conversationId: string) => put<ActiveSupervision>(`/v1/conversations/${seg(conversationId)}/supervision`, { mode: 'monitor' }),
      /** Say something only the agent sees. */
      whisper: (conversationId: string, text: string, clientId?: string) =>
        post<Whisper>(`/v1/conversations/${seg(conversationId)}/whispers`, { text, ...(clientId ? { clientId } : {}) }),
      /** Write to the visitor as yourself (you join the conversation). */
      barge: (conversationId: string, text: string, clientId?: string) =>
        post<Message>(`/v1/conversations/${seg(conversationId)}/barge`, { text, ...(clientId ? { clientId } : {}) }),
      /** Take the conversation over: its agent leaves it (only while supervising it). */
      intercept: (conversationId: string) => post<Conversation>(`/v1/conversations/${seg(conversationId)}/intercept`),
      /** Stop supervising it. */
      stopSupervising: (conversationId: string) => del(`/v1/conversations/${seg(conversationId)}/supervision`),
    },

    // ── routing configuration (admin) ──────────────────────────────────────────────────────
    queues: {
      list: async () => (await get<{ queues: Queue[] }>('/v1/queues')).queues,
      get: (queueId: string) => get<Queue>(`/v1/queues/${seg(queueId)}`),
      create: (input: CreateQueueInput) => post<Queue>('/v1/queues', input),
      update: (queueId: string, input: UpdateQueueInput) => patch<Queue>(`/v1/queues/${seg(queueId)}`, input),
      remove: (queueId: string) => del(`/v1/queues/${seg(queueId)}`),
    },
    areas: {
      list: async () => (await get<{ areas: Area[] }>('/v1/areas')).areas,
      create: (name: string) => post<Area>('/v1/areas', { name }),
      rename: (areaId: string, name: string) => patch<Area>(`/v1/areas/${seg(areaId)}`, { name }),
      remove: (areaId: string) => del(`/v1/areas/${seg(areaId)}`),
    },
    queueGroups: {
      list: async () => (await get<{ queueGroups: QueueGroup[] }>('/v1/queue-groups')).queueGroups,
      create: (input: CreateQueueGroupInput) => post<QueueGroup>('/v1/queue-groups', input),
      update: (groupId: string, input: UpdateQueueGroupInput) => patch<QueueGroup>(`/v1/queue-groups/${seg(groupId)}`, input),
      remove: (groupId: string) => del(`/v1/queue-groups/${seg(groupId)}`),
    },

    // ── agents (admin; reads for staff) ────────────────────────────────────────────────────
    agents: {
      list: async () => (await get<{ agents: Agent[] }>('/v1/agents')).agents,
      get: (agentId: string) => get<Agent>(`/v1/agents/${seg(agentId)}`),
      create: (input: CreateAgentInput) => post<Agent>('/v1/agents', input),
      update: (agentId: string, input: UpdateAgentInput) => patch<Agent>(`/v1/agents/${seg(agentId)}`, input),
      skills: (agentId: string) => get<AgentSkillsView>(`/v1/agents/${seg(agentId)}/skills`),
      setSkills: (agentId: string, input: SetAgentSkillsInput) => put<AgentSkillsView>(`/v1/agents/${seg(agentId)}/skills`, input),
    },

    // ── channels, bot, FAQ (admin) ─────────────────────────────────────────────────────────
    channels: {
      list: async () => (await get<{ channels: Channel[] }>('/v1/channels')).channels,
      get: (channelId: string) => get<Channel>(`/v1/channels/${seg(channelId)}`),
      create: (input: CreateChannelInput) => post<Channel>('/v1/channels', input),
      update: (channelId: string, input: UpdateChannelInput) => patch<Channel>(`/v1/channels/${seg(channelId)}`, input),
      remove: (channelId: string) => del(`/v1/channels/${seg(channelId)}`),
      faqs: async (channelId: string) => (await get<{ faqs: ChannelFaq[] }>(`/v1/channels/${seg(channelId)}/faqs`)).faqs,
      createFaq: (channelId: string, input: CreateFaqInput) => post<ChannelFaq>(`/v1/channels/${seg(channelId)}/faqs`, input),
      updateFaq: (channelId: string, faqId: string, input: UpdateFaqInput) => patch<ChannelFaq>(`/v1/channels/${seg(channelId)}/faqs/${seg(faqId)}`, input),
      removeFaq: (channelId: string, faqId: string) => del(`/v1/channels/${seg(channelId)}/faqs/${seg(faqId)}`),
      /** The channel's identity secret (hmac and auth-v2 modes). */
      identitySecret: (channelId: string) => get<Out<typeof ChannelIdentitySecret>>(`/v1/channels/${seg(channelId)}/identity-secret`),
      /** A new identity secret, answered once. */
      rotateIdentitySecret: (channelId: string) => post<Out<typeof ChannelIdentitySecret>>(`/v1/channels/${seg(channelId)}/identity-secret/rotate`),
      /** Sets the secret the business already has (its Huawei auth-v2 secretKey: 43 of A–Z a–z 0–9). */
      setIdentitySecret: (channelId: string, secret: string) => put<Out<typeof ChannelIdentitySecret>>(`/v1/channels/${seg(channelId)}/identity-secret`, { secret }),
    },

    // ── messaging channels: WhatsApp, Messenger, Telegram, Viber (admin) ───────────────────
    connections: {
      list: async () => (await get<{ connections: ChannelConnection[] }>('/v1/channel-connections')).connections,
      /** Connects a new channel; the answer holds the credentials, this once. */
      connect: (input: ConnectChannelInput) => post<ConnectedChannel>('/v1/channel-connections', input),
      /** Replaces the credentials given (the others are kept); the answer holds the whole set, this once. */
      rotateCredentials: (channelId: string, credentials: Record<string, string>) => put<ConnectedChannel>(`/v1/channel-connections/${seg(channelId)}/credentials`, { credentials }),
      /** One text to a user id through the channel, answered with what the provider said. */
      testMessage: (channelId: string, to: string, text?: string) => post<Out<typeof SendTestMessageResult>>(`/v1/channel-connections/${seg(channelId)}/test-message`, { to, ...(text ? { text } : {}) }),
      /** Reads a WhatsApp channel's templates from the provider. */
      syncTemplates: async (channelId: string) => (await post<{ templates: MessageTemplate[] }>(`/v1/channel-connections/${seg(channelId)}/templates/sync`)).templates,
    },

    // ── canned responses (agents read; supervisors and admins write) ───────────────────────
    cannedResponses: {
      /** By shortcut. */
      list: async () => (await get<{ cannedResponses: CannedResponse[] }>('/v1/canned-responses')).cannedResponses,
      /** The shortcut is stored lowercase and unique in the app (`FD_CANNED_RESPONSE_SHORTCUT_TAKEN`, 409). */
      create: (input: CreateCannedResponseInput) => post<CannedResponse>('/v1/canned-responses', input),
      update: (id: string, input: UpdateCannedResponseInput) => patch<CannedResponse>(`/v1/canned-responses/${seg(id)}`, input),
      remove: (id: string) => del(`/v1/canned-responses/${seg(id)}`),
    },

    /** Disposition codes and tags offered at wrap-up (supervisors and admins change them; archive instead of delete). */
    wrapUpLabels: {
      list: async () => (await get<{ labels: WrapUpLabel[] }>('/v1/wrap-up/labels')).labels,
      create: (input: { kind: WrapUpLabelKind; name: string }) => post<WrapUpLabel>('/v1/wrap-up/labels', input),
      update: (id: string, input: { name?: string; isArchived?: boolean }) => patch<WrapUpLabel>(`/v1/wrap-up/labels/${seg(id)}`, input),
    },

    // ── the app, its secrets and API keys (admin) ──────────────────────────────────────────
    app: {
      get: () => get<App>('/v1/app'),
      update: (input: UpdateAppInput) => patch<App>('/v1/app', input),
      /** A new secret of the given kind, answered only this once. */
      rotateSecret: (kind: Out<typeof AppSecretKind>) => post<Out<typeof RotateAppSecretReply>>('/v1/app/secrets/rotate', { kind }),
      apiKeys: async () => (await get<{ apiKeys: ApiKeyView[] }>('/v1/app/api-keys')).apiKeys,
      /** The key is answered only this once; the server keeps its hash. */
      createApiKey: (name: string) => post<CreatedApiKey>('/v1/app/api-keys', { name }),
      revokeApiKey: (keyId: string) => del(`/v1/app/api-keys/${seg(keyId)}`),
    },

    // ── webhooks (admin) ───────────────────────────────────────────────────────────────────
    webhooks: {
      subscriptions: async () => (await get<{ subscriptions: WebhookSubscription[] }>('/v1/webhooks/subscriptions')).subscriptions,
      /** The answer holds the signing secret, shown only this once. */
      subscribe: (input: CreateWebhookInput) => post<WebhookSubscriptionWithSecret>('/v1/webhooks/subscriptions', input),
      update: (subscriptionId: string, input: UpdateWebhookInput) => patch<WebhookSubscription>(`/v1/webhooks/subscriptions/${seg(subscriptionId)}`, input),
      remove: (subscriptionId: string) => del(`/v1/webhooks/subscriptions/${seg(subscriptionId)}`),
      rotateSecret: (subscriptionId: string) => post<WebhookSubscriptionWithSecret>(`/v1/webhooks/subscriptions/${seg(subscriptionId)}/rotate-secret`),
      enable: (subscriptionId: string) => post<WebhookSubscription>(`/v1/webhooks/subscriptions/${seg(subscriptionId)}/enable`),
      disable: (subscriptionId: string) => post<WebhookSubscription>(`/v1/webhooks/subscriptions/${seg(subscriptionId)}/disable`),
      deliveries: (input: ListDeliveriesInput = {}) => get<DeliveryPage>(`/v1/webhooks/deliveries${query(input)}`),
      delivery: (deliveryId: string) => get<WebhookDelivery>(`/v1/webhooks/deliveries/${seg(deliveryId)}`),
      replayDelivery: (deliveryId: string) => post<WebhookDelivery>(`/v1/webhooks/deliveries/${seg(deliveryId)}/replay`),
      replayEvents: (input: ReplayEventsInput) => post<Out<typeof ReplayWebhookEventsReply>>('/v1/webhooks/replay', input),
    },
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

// ── validation errors ─────────────────────────────────────────────────────────────────────

/**
 * The server answers a body that fails validation with `FD_REQ_INVALID` and a message like
 * `invalid request body: /maxWaitSeconds: Too big: …; /overflow/waitTimeout/toQueueId: …`.
 * This splits it into field paths (`maxWaitSeconds`, `overflow.waitTimeout.toQueueId`) and
 * their messages, so forms can show each next to its field. `''` holds what names no field.
 */
export function fieldErrorsOf(message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const match = /^invalid request (?:body|querystring|params)?:\s*(.*)$/s.exec(message);
  if (!match) {
    errors[''] = message;
    return errors;
  }
  for (const part of match[1]!.split(/;\s(?=\/|body:|querystring:|params:)/)) {
    const field = /^(\/[^:]*|body|querystring|params):\s*(.*)$/s.exec(part.trim());
    const path = field && field[1]!.startsWith('/') ? field[1]!.slice(1).split('/').join('.') : '';
    const text = field ? field[2]! : part.trim();
    errors[path] = errors[path] ? `${errors[path]}; ${text}` : text;
  }
  return errors;
}
