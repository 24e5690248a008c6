/**
 * The tables the analytics module owns: a read model of ended conversations (and calls and
 * ratings), written from their events by the facts-write job and in-transaction listeners, so a
 * report reads only these (timestamps are integer ms, booleans 0/1 integers, lists JSON text).
 * Each row is the output of a pure function over the raw events (conversation-facts.ts), so every
 * figure can be recomputed from the routing history, messages, ratings and calls.
 */
export interface AnalyticsTables {
  /** One row per ended conversation (written again, never twice, if it is rebuilt). */
  report_conversations: {
    conversation_id: string;
    app_id: string;
    channel_id: string | null;
    visitor_id: string;
    queue_id: string | null;
    arrived_at: number;
    queued_at: number | null;
    answered_at: number | null;
    ended_at: number;
    wait_ms: number | null;
    /** answered | abandoned | released | bot_resolved | unrouted */
    outcome: string;
    with_bot: number;
    handed_off: number;
    transfers: number;
    first_agent_id: string | null;
    last_agent_id: string | null;
    /** JSON array of every agent it was assigned to, in order. */
    agent_ids: string;
    handle_ms: number;
    first_response_ms: number | null;
    visitor_messages: number;
    agent_messages: number;
    bot_messages: number;
    close_by: string | null;
    written_at: number;
  };
  /** One row per (conversation, queue it entered). */
  report_queue_visits: {
    app_id: string;
    conversation_id: string;
    queue_id: string;
    channel_id: string | null;
    entered_at: number;
    answered_at: number | null;
    wait_ms: number;
    /** answered | abandoned | released | overflowed */
    outcome: string;
    transferred: number;
    agent_id: string | null;
    handle_ms: number | null;
    assignment_ended_at: number | null;
  };
  /** One row per assignment of a conversation to an agent. */
  report_assignments: {
    id: string;
    app_id: string;
    conversation_id: string;
    agent_id: string;
    queue_id: string | null;
    channel_id: string | null;
    assigned_at: number;
    ended_at: number;
    handle_ms: number;
    first_response_ms: number | null;
    responses: number;
    response_total_ms: number;
    transferred_out: number;
  };
  /** One row per offer rung at an agent: accepted | declined | missed | withdrawn. */
  report_offers: { id: string; app_id: string; conversation_id: string; agent_id: string; queue_id: string | null; offered_at: number; outcome: string };
  /** The last CSAT rating of each conversation, with the agent it rated. */
  report_ratings: { conversation_id: string; app_id: string; agent_id: string | null; stars: number; rated_at: number };
  /** One row per ended call. */
  report_calls: {
    call_id: string;
    app_id: string;
    conversation_id: string;
    agent_id: string | null;
    queue_id: string | null;
    kind: string;
    started_at: number;
    accepted_at: number | null;
    ended_at: number;
    duration_ms: number;
    end_status: string;
  };
  /**
   * Roll-ups (rollup-slots.ts): one row per app, queue and 15-minute slot in UTC (slot_at = the
   * slot's start, a multiple of 900,000 ms) with the additive parts of the queue figures of the
   * visits that entered the queue in it. Rewritten from report_queue_visits by the same
   * transaction that writes a conversation's rows; never holds a row of zeros.
   */
  report_queue_slots: {
    app_id: string;
    slot_at: number;
    queue_id: string;
    offered: number;
    answered: number;
    abandoned: number;
    released: number;
    overflowed: number;
    transferred: number;
    answered_wait_ms: number;
    handled: number;
    handle_ms: number;
    longest_wait_ms: number;
    /** The waits (ms) of the answered visits, ascending, comma-separated: p90 and service level stay exact. */
    answered_waits: string;
  };
  /** Per app, agent ('' for ratings of conversations no agent held) and slot: assignments, offers, ratings and calls by their own time. */
  report_agent_slots: {
    app_id: string;
    slot_at: number;
    agent_id: string;
    assignments: number;
    handle_ms: number;
    first_responses: number;
    first_response_ms: number;
    responses: number;
    response_ms: number;
    offers: number;
    missed_offers: number;
    declined_offers: number;
    calls: number;
    calls_handled: number;
    ratings: number;
    stars_sum: number;
    stars_1: number;
    stars_2: number;
    stars_3: number;
    stars_4: number;
    stars_5: number;
  };
  /**
   * The hourly tier of the agent roll-ups (rollup-hours.ts): per app, agent and UTC hour (hour_at, a
   * multiple of 3,600,000 ms) the same sums as report_agent_slots, and the time the agent held at
   * least one conversation within the hour (its assignments' spans, each capped at 24 h): `held_ms`
   * and the spans themselves (`held`, "start-end" ms offsets from hour_at, comma-separated, sorted
   * and disjoint), so occupancy is exact without reading the assignments. A row exists when the hour
   * has a row to count or held time.
   */
  report_agent_hours: Omit<AnalyticsTables['report_agent_slots'], 'slot_at'> & { hour_at: number; held_ms: number; held: string };
  /** Per app, channel ('none': without a channel) and slot: the conversations opened in it. */
  report_channel_slots: {
    app_id: string;
    slot_at: number;
    channel_id: string;
    conversations: number;
    with_bot: number;
    bot_resolved: number;
    handed_off: number;
    answered: number;
    abandoned: number;
  };
  /** Exports made by a job every local day or week, for the period just ended. */
  report_export_schedules: {
    id: string;
    app_id: string;
    /** conversations | calls */
    kind: string;
    /** csv | xlsx */
    format: string;
    tz: string;
    /** day | week */
    every: string;
    /** When the next period ends and its export is due (ms). */
    next_run_at: number;
    created_by: string;
    created_at: number;
  };
  /** A file a scheduled export wrote under the data directory, for staff to download. */
  report_export_files: { id: string; app_id: string; schedule_id: string; file_name: string; from_ms: number; to_ms: number; size_bytes: number; created_at: number };
}
