/** The tables the routing module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface RoutingTables {
  /** `numeric_id` (migration 0018): AnyChat objectid, unique in the app, like those of queues and queue groups. */
  areas: { id: string; app_id: string; numeric_id: number; name: string; created_at: number };
  queues: {
    id: string;
    app_id: string;
    /** Migration 0018: TCCC SkillGroupId, AnyChat objectid; unique in the app. */
    numeric_id: number;
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
  queue_groups: { id: string; app_id: string; numeric_id: number; name: string; queue_ids: string; created_at: number; updated_at: number };
  agent_queue_groups: { app_id: string; agent_id: string; group_id: string; level: number };
  routing_log: { app_id: string; seq: number; at: number; event: string };
  /** `ord` orders rows of one app: log seq × 1000 + place among that event's decisions. */
  agent_status_history: { id: string; app_id: string; agent_id: string; from_status: string; to_status: string; reason: string | null; at: number; ord: number };
  routing_history: { id: string; app_id: string; conversation_id: string; type: string; data: string; at: number; ord: number };
}
