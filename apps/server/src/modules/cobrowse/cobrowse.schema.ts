/** The tables the co-browse module owns (timestamps are integer ms, lists are JSON text). */
export interface CobrowseTables {
  /** Each co-browse session of a conversation, as its consent state machine left it. */
  cobrowse_sessions: {
    id: string;
    app_id: string;
    conversation_id: string;
    visitor_id: string;
    status: string;
    started_by: string;
    agent_id: string | null;
    controller_id: string | null;
    /** JSON array of the agent ids watching now. */
    viewers: string;
    created_at: number;
    live_at: number | null;
    ended_at: number | null;
    end_reason: string | null;
    /** The conversation's id while active, null once ended (unique: one active session per conversation). */
    active_for: string | null;
  };
  /** What happened in a session, in order (who, when): consent, control, viewers, the end. */
  cobrowse_steps: {
    app_id: string;
    session_id: string;
    seq: number;
    kind: string;
    actor_role: string;
    actor_id: string | null;
    at: number;
  };
  /**
   * Short codes an agent reads out to a visitor, who enters it in the browser extension: it ties
   * the extension to the conversation. Stored as a digest; single use; minutes long.
   */
  cobrowse_codes: {
    code_hash: string;
    app_id: string;
    conversation_id: string;
    visitor_id: string;
    created_by: string;
    expires_at: number;
    used_at: number | null;
  };
}
