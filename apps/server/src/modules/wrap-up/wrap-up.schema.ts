/** The tables the wrap-up module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface WrapUpTables {
  /** Wrap-up module: the app's disposition codes and tags (`kind`); `name` unique per app and kind; archived, never deleted. */
  wrap_up_labels: { id: string; app_id: string; kind: string; name: string; archived: number; created_at: number };
  /** Wrap-up module: one per conversation, the last one recorded wins; `tag_ids`: JSON list of label ids. */
  conversation_wrap_ups: {
    app_id: string;
    conversation_id: string;
    agent_id: string | null;
    disposition_id: string | null;
    tag_ids: string;
    note: string;
    updated_at: number;
  };
}
