/** The tables the compat module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface CompatTables {
  /** Compat module: per-app AnyChat gateway settings (the RSA public key that verifies `signtype=RSA`). */
  compat_settings: { app_id: string; anychat_rsa_public_key: string | null; updated_at: number };
  /**
   * Compat module (migration 0018): what AnyChat objects carry that native ones do not — the
   * description and skill groups of areas, queues and queue groups (keyed by their native id), and
   * skill objects themselves (objecttype 9: no native twin, `numeric_id` is their objectid).
   */
  anychat_objects: { app_id: string; object_guid: string; object_type: number; numeric_id: number | null; name: string | null; description: string; skill_groups: string; created_at: number };
  /** Compat module: when each app's last accepted VTC manage call was (1 per second, across nodes). */
  vtc_manage_calls: { app_id: string; last_call_at: number };
}
