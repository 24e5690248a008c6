/**
 * Tables of the job queue (platform/jobs). Timestamps are integer ms, payloads and attempt details
 * JSON text, as in every other table, so one set of queries serves SQLite and PostgreSQL.
 */
export interface JobsTables {
  /**
   * One unit of outbound work. `kind` names its handler; `group_key` is '' when the job has no
   * group (a webhook delivery's group is its subscription); jobs of one (kind, group_key,
   * ordering_key) are attempted in `position` order; (kind, dedupe_key, group_key) is unique when
   * `dedupe_key` is set (a webhook delivery: its event; a CDR write: its conversation; a data push:
   * its CDR). status pending | retrying | done | exhausted | cancelled; a lease says which node runs it.
   */
  jobs: {
    id: string;
    kind: string;
    app_id: string;
    group_key: string;
    ordering_key: string | null;
    dedupe_key: string | null;
    position: number;
    payload: string;
    status: string;
    attempts: number;
    next_attempt_at: number;
    last_attempt_at: number | null;
    done_at: number | null;
    lease_owner: string | null;
    lease_until: number | null;
    created_at: number;
    updated_at: number;
  };
  /** The attempt log. `detail`: JSON of what the kind keeps beyond the common fields (a response excerpt, an ErrCode). */
  job_attempts: {
    id: string;
    app_id: string;
    job_id: string;
    at: number;
    status_code: number | null;
    error: string | null;
    latency_ms: number;
    detail: string | null;
  };
  /** Groups whose jobs wait (a disabled webhook subscription): claims skip them until resumed. */
  job_paused_groups: { kind: string; group_key: string; paused_at: number };
}
