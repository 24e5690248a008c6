/** The tables the reports module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface ReportsTables {
  /** One CDR per ended conversation (unique conversation id); `data` is the TCCC-shaped JSON. */
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
}
