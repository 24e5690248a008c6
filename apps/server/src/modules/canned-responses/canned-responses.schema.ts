/** The tables the canned-responses module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface CannedResponsesTables {
  /** Canned responses module: per app, `shortcut` unique in the app (stored lowercase). */
  canned_responses: {
    id: string;
    app_id: string;
    shortcut: string;
    title: string;
    text: string;
    created_at: number;
    updated_at: number;
  };
  /** Canned responses module (migration 0021): an agent's own, seen only by that agent; `shortcut` unique per agent. */
  personal_canned_responses: {
    id: string;
    app_id: string;
    agent_id: string;
    shortcut: string;
    title: string;
    text: string;
    created_at: number;
    updated_at: number;
  };
}
