/** The tables the conversations module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface ConversationsTables {
  conversations: {
    id: string;
    app_id: string;
    visitor_id: string;
    agent_id: string | null;
    status: string;
    last_seq: number;
    visitor_read_seq: number;
    agent_read_seq: number;
    created_at: number;
    updated_at: number;
    closed_at: number | null;
    channel_id: string | null;
    queue_id: string | null;
    /** none (not routed) | bot | queued | offered | assigned | released | ended */
    routing_state: string;
    /** client | seat | admin | timer */
    close_by: string | null;
    last_visitor_message_at: number | null;
    /** Migration 0020: what the visitor gave in a widget form (pre-chat or leave-a-message). */
    visitor_name: string | null;
    visitor_email: string | null;
    visitor_phone: string | null;
    /** Migration 0020: when the visitor left a message because nobody could answer; null otherwise. */
    message_left_at: number | null;
    /**
     * Migration 0034: the minute (`minuteOf`) of `updated_at`, and of the visitor's last message
     * (`created_at` before the first): what the lists and the idle sweep index. Every write of those
     * times writes these (`activityAt`, `minuteOf`: conversations.repository.ts).
     */
    updated_minute: number;
    last_activity_minute: number;
  };
  messages: {
    id: string;
    app_id: string;
    conversation_id: string;
    seq: number;
    client_id: string | null;
    sender_type: string;
    sender_id: string | null;
    kind: string;
    text: string;
    file_id: string | null;
    /** A location message's place (migration 0012); null on other kinds. */
    location_latitude: number | null;
    location_longitude: number | null;
    location_name: string | null;
    location_address: string | null;
    created_at: number;
  };
  files: {
    id: string;
    app_id: string;
    conversation_id: string;
    name: string;
    mime_type: string;
    size_bytes: number;
    created_at: number;
    /** Migration 0018: who uploaded it (visitor or agent) and from where (AnyChat username, useripaddr). */
    uploader_type: string | null;
    uploader_id: string | null;
    uploader_ip: string | null;
    /** Migration 0025: 'snapshot' or 'photo' when the file is a call's capture (the captures module), else null. */
    capture: string | null;
  };
  /** Conversations module: one CSAT rating per conversation, the last one given. */
  ratings: {
    conversation_id: string;
    app_id: string;
    visitor_id: string;
    stars: number;
    comment: string | null;
    created_at: number;
    updated_at: number;
  };
  /**
   * Migration 0021: the full-text index of messages (tokens of `search-tokens.ts`). SQLite: an FTS5
   * table whose rowid is the message's rowid and whose `tokens` are space-separated; PostgreSQL: a
   * row per message, `tokens` a GIN-indexed text[]. Written right after the messages commit
   * (`search-indexer.ts`, migration 0028). Queried only through `message-search.ts` (dialect-specific SQL).
   */
  message_search: {
    message_id: string;
    app_id: string;
    created_at: number;
    tokens: string;
  };
  /** Migration 0028, SQLite only: one row (id 1), the rowid of the last message the search index holds. */
  message_search_progress: {
    id: number;
    last_rowid: number;
  };
  /** Migration 0028, PostgreSQL only: messages stored and not yet in the search index (search-indexer.ts). */
  message_search_pending: {
    message_id: string;
  };
  /** Internal notes (conversations module): staff only, never sent to the visitor. */
  conversation_notes: {
    id: string;
    app_id: string;
    conversation_id: string;
    author_agent_id: string | null;
    text: string;
    created_at: number;
  };
}
