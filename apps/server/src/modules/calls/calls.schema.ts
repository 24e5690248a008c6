/** The tables the calls module owns (timestamps are integer ms). */
export interface CallsTables {
  /**
   * One row per call. `state` is the call engine's saved state of the call (JSON of `CallState`,
   * participants included); the other columns are what queries filter on. `clock_at` is the engine
   * time of the call's last event and `next_deadline_at` its next engine timer (null: none), which
   * the shell's timer sweep looks for. `media_*` say where its room is (MediaRoomRef).
   */
  calls: {
    id: string;
    app_id: string;
    /** Null for an internal call (agent to agent). */
    conversation_id: string | null;
    kind: string;
    direction: string;
    origin: string;
    phase: string;
    /** Null for an internal call (agent to agent). */
    visitor_id: string | null;
    main_agent_id: string | null;
    queue_id: string | null;
    created_at: number;
    accepted_at: number | null;
    ended_at: number | null;
    end_reason: string | null;
    hung_up_side: string | null;
    clock_at: number;
    next_deadline_at: number | null;
    media_instance: string | null;
    media_room: string | null;
    state: string;
    updated_at: number;
  };
  /** Who is or was in each call (one row per leg), for "the calls of this agent"; the call's state has the details. */
  call_participants: { call_id: string; seq: number; app_id: string; role: string; user_id: string; left_at: number | null };
  /**
   * Each supervision step of a call (SPEC M28): a mode entered (monitor, whisper, barge), the
   * take-over (intercept) or the stop; `text_only` is 1 for a monitor without the call's media.
   */
  call_supervision_steps: {
    id: string;
    app_id: string;
    call_id: string;
    supervisor_id: string;
    mode: string;
    previous_mode: string | null;
    text_only: number;
    seq: number;
    at: number;
  };
}
