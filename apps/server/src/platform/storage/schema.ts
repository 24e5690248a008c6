/**
 * Table types. Timestamps are integer ms, booleans are 0/1 integers and lists are
 * JSON text, so one schema and one set of queries serve SQLite and PostgreSQL.
 */
export interface Database {
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
  visitors: { id: string; app_id: string; name: string; created_at: number };
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
}

