/** The tables the recordings module owns (timestamps are integer ms). */
export interface RecordingsTables {
  /**
   * Whether calls of a queue or a channel are recorded: `off`, `audio` or `audio_video`, and for how
   * many days their recordings are kept. A call's queue setting wins over its channel's.
   */
  recording_policies: {
    app_id: string;
    scope: string;
    scope_id: string;
    mode: string;
    retention_days: number;
    updated_at: number;
  };
  /**
   * One row per recorded call. `status`: `recording` (the call is on), `processing` (a post-processing
   * job is due or running), `ready`, `failed`. `raw_dir` holds Janus's `.mjr` tracks until the files
   * are made; `files` (JSON) lists the outputs (mixed and per participant) by BlobStore key;
   * `participants` (JSON) are our media participant ids in slot order.
   */
  recordings: {
    id: string;
    app_id: string;
    call_id: string;
    conversation_id: string;
    mode: string;
    status: string;
    name: string;
    raw_dir: string;
    started_at: number | null;
    duration_ms: number | null;
    size_bytes: number | null;
    format: string | null;
    participants: string;
    files: string;
    record_flags: number;
    error: string | null;
    call_ended_at: number | null;
    expires_at: number | null;
    created_at: number;
    updated_at: number;
    completed_at: number | null;
  };
}
