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
}
