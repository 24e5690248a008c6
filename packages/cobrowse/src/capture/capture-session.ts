import { createBatchEncoder, type BatchEncoder } from '../codec-worker.ts';
import type { Batch } from '../wire.ts';
import { DEFAULT_RULES, Privacy, type PrivacyRules } from './privacy.ts';
import { Recorder } from './recorder.ts';

/** What the capture sends: a `cobrowse.data` frame without its type (the caller's socket adds it). */
export interface DataFrame {
  sessionId: string;
  epoch: number;
  seq: number;
  kind: 'snapshot' | 'delta';
  part?: { index: number; count: number };
  encoding: 'json' | 'deflate';
  payload: string;
}

export interface CaptureOptions {
  sessionId: string;
  /** Sends one frame on the visitor's socket; false when the socket is not open (a fresh snapshot follows the reconnect). */
  send: (frame: DataFrame) => boolean;
  rules?: PrivacyRules;
  /** Pages where the co-browse pauses by itself (path prefixes, `*` matching anything). */
  pausedPages?: readonly string[];
  /** How often changes are sent, in ms. */
  flushMs?: number;
  /** Replaces the serialiser's output by nothing (the benchmark's baseline: the page's own cost). */
  dryRun?: boolean;
}

const DEFAULT_FLUSH_MS = 100;

/** Whether a path is one of the listed pages: a prefix, where `*` stands for any characters. */
export function isPausedPage(pathname: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const trimmed = pattern.trim();
    if (!trimmed) return false;
    const regex = new RegExp(`^${trimmed.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}`);
    return regex.test(pathname);
  });
}

/**
 * One co-browse session's capture in the visitor's page: a snapshot, then a batch of changes every
 * `flushMs`, encoded and sent in order; a fresh snapshot (a new epoch) whenever a viewer asks for
 * one, the socket comes back, or a paused page is left. The mirror never gets a delta it cannot
 * place: each epoch starts with its snapshot, and a lost frame makes the viewer ask for another.
 */
export class CaptureSession {
  readonly privacy: Privacy;
  readonly recorder: Recorder;
  #epoch = 0;
  #seq = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #sending: Promise<void> = Promise.resolve();
  #paused = false;
  #needsSnapshot = true;
  #stopped = false;
  #encoder: BatchEncoder | null = null;

  constructor(private readonly options: CaptureOptions) {
    this.privacy = new Privacy(options.rules ?? DEFAULT_RULES);
    this.recorder = new Recorder(this.privacy);
  }

  start(): void {
    this.#stopped = false;
    this.#encoder ??= createBatchEncoder();
    this.#timer ??= setInterval(() => this.#tick(), this.options.flushMs ?? DEFAULT_FLUSH_MS);
    this.#tick();
  }

  /** A viewer joined or lost the thread, or the socket is back: the next tick sends a fresh snapshot. */
  requestSnapshot(): void {
    this.#needsSnapshot = true;
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.recorder.stop();
    this.#encoder?.close();
    this.#encoder = null;
  }

  #tick(): void {
    if (this.#stopped) return;
    const paused = isPausedPage(location.pathname, this.options.pausedPages ?? []);
    if (paused !== this.#paused) {
      this.#paused = paused;
      if (paused) {
        // Nothing of a listed page is read: the recorder stops before anything else happens.
        this.recorder.stop();
        this.#queue({ kind: 'delta', at: Date.now(), events: [{ k: 'paused', paused: true }] });
        return;
      }
      this.#needsSnapshot = true;
    }
    if (this.#paused) return;
    if (this.#needsSnapshot) {
      this.#needsSnapshot = false;
      this.#epoch += 1;
      this.#seq = 0;
      this.#queue(this.recorder.snapshot());
      return;
    }
    const delta = this.recorder.drain();
    if (delta) this.#queue(delta);
  }

  #queue(batch: Batch): void {
    const epoch = this.#epoch;
    this.#sending = this.#sending.then(async () => {
      if (this.options.dryRun) return;
      if (!this.#encoder) return;
      const parts = await this.#encoder.encode(JSON.stringify(batch), batch.kind);
      for (const part of parts) {
        // A newer snapshot started meanwhile: what is left of this epoch is of no use.
        if (epoch !== this.#epoch || this.#stopped) return;
        const frame: DataFrame = { sessionId: this.options.sessionId, epoch, seq: this.#seq++, ...part };
        if (!this.options.send(frame)) {
          // The socket is down: whatever follows would leave a hole; start over once it is back.
          this.#needsSnapshot = true;
          return;
        }
      }
    });
  }
}
