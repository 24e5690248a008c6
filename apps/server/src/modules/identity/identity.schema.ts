/** The tables the identity module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface IdentityTables {
  server_settings: { key: string; value: string };
  agents: {
    id: string;
    app_id: string;
    /** Migration 0018: TCCC `StaffNumber`, unique in the app (existing agents numbered in creation order). */
    staff_number: string;
    email: string;
    name: string;
    role: string;
    media_types: string;
    max_concurrent_chats: number;
    /** Calls at once (migration 0017). */
    max_concurrent_calls: number;
    password_hash: string;
    disabled: number;
    created_at: number;
  };
  /** `external_id`: the business's user id of an identified visitor (unique per app), null when anonymous (migration 0010). */
  visitors: {
    id: string;
    app_id: string;
    name: string;
    created_at: number;
    external_id: string | null;
    identity_mode: string;
    /** Migration 0018: tokens carry it (`gen`); a kick moves it on, so earlier tokens stop working. */
    token_generation: number;
    /** Migration 0018: where and when the visitor last started a session (AnyChat `loginip`, `logintime`). */
    login_ip: string | null;
    login_at: number | null;
  };
  /** Identity module: auth-v2 signatures already used, kept until their timestamp leaves the ±5 min window. */
  identity_used_signatures: { app_id: string; signature: string; expires_at: number };
  /** Identity module: VTC third-party users (SPEC M2); `device_id` is the APNS/FCM device token. */
  third_party_users: { id: string; app_id: string; third_party_id: string; password_hash: string; device_id: string | null; created_at: number; updated_at: number };
  /** Identity module: one row per agent login; `replaced_at` once a newer login kicked it (SPEC M6). */
  agent_sessions: {
    id: string;
    app_id: string;
    agent_id: string;
    device_id: string | null;
    via: string;
    created_at: number;
    expires_at: number;
    replaced_at: number | null;
    /** Migration 0018: the address the login came from (AnyChat `loginip`). */
    ip: string | null;
  };
  /** Identity module: single-use SDK login tokens, by SHA-256 of the token; `used_at` once exchanged. */
  sdk_login_tokens: { token_hash: string; app_id: string; agent_id: string; created_at: number; expires_at: number; used_at: number | null };
  /** Identity module (migration 0023): an agent's avatar, a PNG, JPEG, GIF or WebP of at most AVATAR_MAX_BYTES. */
  agent_avatars: { app_id: string; agent_id: string; mime_type: string; data_base64: string; updated_at: number };
}
