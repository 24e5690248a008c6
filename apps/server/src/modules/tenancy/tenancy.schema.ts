/** The tables the tenancy module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface TenancyTables {
  apps: {
    id: string;
    /** Migration 0018: TCCC `SdkAppId`, unique on the server. */
    numeric_id: number;
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
}
