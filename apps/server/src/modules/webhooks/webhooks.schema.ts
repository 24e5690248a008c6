/** The tables the webhooks module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface WebhooksTables {
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
  /** Webhooks module (migration 0018): the integer AnyChat room (textmsg_notify roomid) of each conversation a notify named. */
  anychat_rooms: { app_id: string; conversation_id: string; room_id: number };
}
