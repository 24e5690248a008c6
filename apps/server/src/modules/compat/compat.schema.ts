/** The tables the compat module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface CompatTables {
  /** Compat module: per-app AnyChat gateway settings (the RSA public key that verifies `signtype=RSA`). */
  compat_settings: { app_id: string; anychat_rsa_public_key: string | null; updated_at: number };
  /** Compat module: when each app's last accepted VTC manage call was (1 per second, across nodes). */
  vtc_manage_calls: { app_id: string; last_call_at: number };
}
