/** The tables the channels module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface ChannelsTables {
  /** Channels module. bot, hours, queue_reminder and idle_end are JSON (protocol `Channel` fields). */
  channels: {
    id: string;
    app_id: string;
    name: string;
    /** 1 for the app's default channel (at most one per app, a unique partial index), else 0. */
    is_default: number;
    queue_id: string | null;
    bot: string;
    hours: string | null;
    queue_reminder: string;
    idle_end: string;
    /** JSON: the calls the widget offers and their queue (migration 0017). */
    calls: string;
    /** JSON: co-browsing on or off and its privacy rules (migration 0020). */
    cobrowse: string;
    /** Bumped in the transaction of every FAQ change: each node's cached FAQ index compares it. */
    faq_version: number;
    /** Visitor identity (migration 0010): anonymous | hmac | token | auth-v2 | vtc; the secret (hmac, auth-v2) is created on first use. */
    identity_mode: string;
    identity_validate_url: string | null;
    identity_secret: string | null;
    /** 1 when agents see the visitor's draft (migration 0024). */
    typing_preview: number;
    /** JSON (migration 0020): the pre-chat form (protocol `PreChatForm`). */
    pre_chat_form: string;
    /** Migration 0020: shown first in the widget; null for none. */
    welcome_message: string | null;
    created_at: number;
    updated_at: number;
  };
  faqs: {
    id: string;
    app_id: string;
    channel_id: string;
    question: string;
    /** JSON array of strings. */
    keywords: string;
    answer: string;
    locale: string | null;
    created_at: number;
    updated_at: number;
  };
  /**
   * A channel connected to a messaging provider (migration 0020): the `channels` row gives its
   * routing settings (queue, bot, hours); this row its provider, account and credentials.
   */
  channel_connections: {
    /** The `channels` row (one connection per channel). */
    channel_id: string;
    app_id: string;
    /** whatsapp | messenger | telegram | viber */
    provider: string;
    /** The provider's account: WhatsApp phone number id, Facebook page id, Telegram bot name, Viber account name. */
    account_id: string;
    /** The provider's API base URL (a proxy's, or a local test server's). */
    api_base_url: string;
    /** JSON of the provider's credentials, sealed (AES-256-GCM) with the server's secret box. */
    credentials: string;
    created_at: number;
    updated_at: number;
  };
  /** The provider's users (phone number, PSID, Telegram chat, Viber id) of a channel: one visitor each. */
  channel_contacts: {
    app_id: string;
    channel_id: string;
    external_id: string;
    visitor_id: string;
    name: string;
    /** The user's last message (the customer-service window counts from it). */
    last_inbound_at: number;
    /** Pacing of sends to this user (WhatsApp's pair rate): the theoretical time of the next send; 0 at first. */
    send_pace_at: number;
    created_at: number;
  };
  /** Each provider message stored once: (channel, provider message id) is unique. */
  channel_inbound: {
    channel_id: string;
    provider_message_id: string;
    app_id: string;
    message_id: string;
    created_at: number;
  };
  /** Our messages sent out through a channel, and what the provider said of each. */
  channel_outbound: {
    message_id: string;
    app_id: string;
    channel_id: string;
    conversation_id: string;
    /** queued | sent | delivered | read | failed */
    status: string;
    /** The provider's reason of a refusal (failed), or of the last retried error. */
    reason: string | null;
    provider_message_id: string | null;
    /** The provider's user it went to (Messenger's watermarks name the thread, not the message). */
    external_id: string;
    /** When the provider accepted it; null until then. */
    sent_at: number | null;
    created_at: number;
    updated_at: number;
  };
  /** WhatsApp message templates synced from the provider (name + language unique per channel). */
  channel_templates: {
    app_id: string;
    channel_id: string;
    name: string;
    language: string;
    status: string;
    category: string;
    /** The body text with its {{n}} parameters. */
    body: string;
    parameter_count: number;
    synced_at: number;
  };
}
