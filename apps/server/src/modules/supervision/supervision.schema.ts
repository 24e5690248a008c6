/** The tables the supervision module owns (timestamps are integer ms). */
export interface SupervisionTables {
  /** Each supervision step of a conversation: a mode entered (monitor, whisper, barge), intercept or stop. */
  supervision_steps: {
    id: string;
    app_id: string;
    conversation_id: string;
    supervisor_id: string;
    mode: string;
    /** The mode the supervisor left; null when this step started the supervision. */
    previous_mode: string | null;
    /** Order of the conversation's steps (several may share a millisecond). */
    seq: number;
    at: number;
  };
  /** What supervisors said to a conversation's agent: never messages, so never seen by the visitor. */
  whispers: {
    id: string;
    app_id: string;
    conversation_id: string;
    supervisor_id: string;
    client_id: string | null;
    text: string;
    created_at: number;
  };
}
