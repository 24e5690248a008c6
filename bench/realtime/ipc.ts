import type { HistogramData } from './histogram.ts';

/** Messages between the orchestrator (run.ts) and its load-generator workers (worker.ts). */

export interface SocketSpec {
  url: string;
  /** Sent in the `hello` frame. */
  token: string;
}

/** One agent socket and the visitors whose conversations it holds (≈ --convs-per-agent). */
export interface GroupSpec {
  agent: SocketSpec;
  visitors: (SocketSpec & { conversationId: string })[];
}

export interface InitMessage {
  type: 'init';
  workerId: number;
  runTag: string;
  groups: GroupSpec[];
  sourceAddresses: string[];
  connectConcurrency: number;
  textBytes: number;
  /** Every socket sends `{"type":"ping"}` this often. */
  pingEveryMs: number;
  /** Full stack: each send gets a `reply`; the bare relay sends none. */
  expectReplies: boolean;
}

export interface StepMessage {
  type: 'step';
  stepId: number;
  /** Messages per second this worker offers (its share of the total). */
  rate: number;
  durationMs: number;
  /** After the window, wait at most this long for outstanding messages to arrive. */
  drainMs: number;
}

export type ToWorker = InitMessage | StepMessage | { type: 'close' };

export interface ConnectedMessage {
  type: 'connected';
  opened: number;
  failed: number;
  /** Failure reason → count. */
  failures: Record<string, number>;
  ms: number;
}

export interface StepResultMessage {
  type: 'step-result';
  stepId: number;
  sent: number;
  /** Sends not made because the chosen socket was not open. */
  skipped: number;
  /** Messages of this step that reached their agent (before the drain deadline). */
  delivered: number;
  /** Agent deliveries received inside the step window (any step). */
  deliveredInWindow: number;
  /** `reply ok:true` (= persisted) for this step's sends, and inside the window. */
  acked: number;
  ackedInWindow: number;
  /** Error replies by code. */
  errors: Record<string, number>;
  /** Visitor → agent latency of this step's delivered messages. */
  latency: HistogramData;
  /** The worker's own event-loop delay during the step: high values mean the client is saturated. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Sockets that closed unexpectedly since connecting (cumulative), by close code. */
  closes: Record<string, number>;
}

export type FromWorker = ConnectedMessage | StepResultMessage | { type: 'closed' };
