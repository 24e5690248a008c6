import type { JobsTables } from '../jobs/jobs.schema.ts';

/**
 * Table types. Timestamps are integer ms, booleans are 0/1 integers and lists are
 * JSON text, so one schema and one set of queries serve SQLite and PostgreSQL.
 */
export interface Database extends JobsTables {
  server_settings: { key: string; value: string };
  apps: {
    id: string;
    name: string;
    allowed_origins: string;
    app_token: string;
    gateway_secret: string;
    identity_secret: string;
    created_at: number;
  };
  api_keys: {
    id: string;
    app_id: string;
    name: string;
    key_hash: string;
    created_at: number;
    last_used_at: number | null;
  };
  agents: {
    id: string;
    app_id: string;
    email: string;
    name: string;
    role: string;
    media_types: string;
    max_concurrent_chats: number;
    password_hash: string;
    disabled: number;
    created_at: number;
  };
  /** `external_id`: the business's user id of an identified visitor (unique per app), null when anonymous (migration 0010). */
  visitors: { id: string; app_id: string; name: string; created_at: number; external_id: string | null; identity_mode: string };
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
  /** Canned responses module: per app, `shortcut` unique in the app (stored lowercase). */
  canned_responses: {
    id: string;
    app_id: string;
    shortcut: string;
    title: string;
    text: string;
    created_at: number;
    updated_at: number;
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
    /** Bumped in the transaction of every FAQ change: each node's cached FAQ index compares it. */
    faq_version: number;
    /** Visitor identity (migration 0010): anonymous | hmac | token | auth-v2 | vtc; the secret (hmac, auth-v2) is created on first use. */
    identity_mode: string;
    identity_validate_url: string | null;
    identity_secret: string | null;
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
  areas: { id: string; app_id: string; name: string; created_at: number };
  queues: {
    id: string;
    app_id: string;
    area_id: string | null;
    name: string;
    /** JSON of the queue's fields (protocol `CreateQueueBody`). */
    config: string;
    deleted: number;
    created_at: number;
    updated_at: number;
  };
  agent_skills: { app_id: string; agent_id: string; queue_id: string; level: number; is_default: number };
  agent_routing: { agent_id: string; app_id: string; priority: number };
  /** `queue_ids`: JSON array. */
  queue_groups: { id: string; app_id: string; name: string; queue_ids: string; created_at: number; updated_at: number };
  agent_queue_groups: { app_id: string; agent_id: string; group_id: string; level: number };
  routing_log: { app_id: string; seq: number; at: number; event: string };
  /** `ord` orders rows of one app: log seq × 1000 + place among that event's decisions. */
  agent_status_history: { id: string; app_id: string; agent_id: string; from_status: string; to_status: string; reason: string | null; at: number; ord: number };
  routing_history: { id: string; app_id: string; conversation_id: string; type: string; data: string; at: number; ord: number };
  /**
   * Webhooks module: the durable outbox, written in business transactions. `position` orders the
   * events of one ordering key (ms × 1024 + a per-process counter, see webhooks/outbox.ts);
   * `fanned_out_at` is set once deliveries were made for the event.
   */
  outbox_events: { id: string; app_id: string; type: string; ordering_key: string | null; data: string; created_at: number; position: number; fanned_out_at: number | null };
  /** `event_types`: JSON array, null = every type. `enabled` 0/1; `disabled_reason` gone | admin. */
  webhook_subscriptions: {
    id: string;
    app_id: string;
    url: string;
    description: string;
    event_types: string | null;
    /** standard | anychat (migration 0008). */
    format: string;
    /** anychat notifies: MD5 | RSA, and the RSA key pair (PEM) when RSA (migration 0014). */
    sign_type: string;
    rsa_private_key: string | null;
    rsa_public_key: string | null;
    secret: string;
    previous_secret: string | null;
    previous_secret_expires_at: number | null;
    enabled: number;
    disabled_reason: string | null;
    created_at: number;
    updated_at: number;
  };
  /** Reports module: one CDR per ended conversation (unique conversation id); `data` is the TCCC-shaped JSON. */
  cdrs: { id: string; app_id: string; conversation_id: string; ended_at: number; data: string; created_at: number };
  data_push_settings: {
    app_id: string;
    url: string;
    enabled: number;
    auth_kind: string;
    username: string | null;
    password: string | null;
    token_url: string | null;
    client_id: string | null;
    client_secret: string | null;
    updated_at: number;
  };
  /** Compat module: per-app AnyChat gateway settings (the RSA public key that verifies `signtype=RSA`). */
  compat_settings: { app_id: string; anychat_rsa_public_key: string | null; updated_at: number };
  presence_nodes: { node_id: string; seen_at: number };
  presence_sockets: { socket_id: string; node_id: string; app_id: string; user_type: string; user_id: string; connected_at: number };
  /** Identity module: auth-v2 signatures already used, kept until their timestamp leaves the ±5 min window. */
  identity_used_signatures: { app_id: string; signature: string; expires_at: number };
  /** Identity module: VTC third-party users (SPEC M2); `device_id` is the APNS/FCM device token. */
  third_party_users: { id: string; app_id: string; third_party_id: string; password_hash: string; device_id: string | null; created_at: number; updated_at: number };
  /** Identity module: one row per agent login; `replaced_at` once a newer login kicked it (SPEC M6). */
  agent_sessions: { id: string; app_id: string; agent_id: string; device_id: string | null; via: string; created_at: number; expires_at: number; replaced_at: number | null };
  /** Identity module: single-use SDK login tokens, by SHA-256 of the token; `used_at` once exchanged. */
  sdk_login_tokens: { token_hash: string; app_id: string; agent_id: string; created_at: number; expires_at: number; used_at: number | null };
  /** Compat module: when each app's last accepted VTC manage call was (1 per second, across nodes). */
  vtc_manage_calls: { app_id: string; last_call_at: number };
}
