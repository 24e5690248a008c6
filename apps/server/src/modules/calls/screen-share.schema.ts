/** The calls module's table of screen shares (timestamps are integer ms). */
export interface ScreenShareTables {
  /**
   * One row per screen shared in a call: who shared (`sharer_role`, `sharer_id`), since when
   * (`started_at`, the share's media up), until when and why (`ended_at`, `end_reason`: null while it
   * lasts). At most one open share per sharer and call (a unique index).
   */
  call_screen_shares: {
    id: string;
    app_id: string;
    call_id: string;
    sharer_role: string;
    sharer_id: string;
    started_at: number;
    ended_at: number | null;
    end_reason: string | null;
  };
}
