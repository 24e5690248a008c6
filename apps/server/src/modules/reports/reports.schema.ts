/** The tables the reports module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface ReportsTables {
  /** Reports module: conversations closed and waiting for their CDR (written in the close transaction). */
  cdr_jobs: { conversation_id: string; app_id: string; closed_at: number; next_attempt_at: number; attempts: number };
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
  /** One push of one CDR; `id` is the X-TCCC-PUSH-UUID, the same on every retry. */
  cdr_pushes: { id: string; app_id: string; cdr_id: string; status: string; attempts: number; next_attempt_at: number; lease_until: number | null; created_at: number; updated_at: number };
  cdr_push_attempts: { id: string; app_id: string; push_id: string; at: number; status_code: number | null; err_code: number | null; error: string | null; latency_ms: number };
}
