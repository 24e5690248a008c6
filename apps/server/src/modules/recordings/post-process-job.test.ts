import { describe, expect, it } from 'vitest';
import { decidePostProcess, QUIET_AFTER_MS, RETRY_DELAYS_MS } from './post-process-job.ts';

describe('decidePostProcess', () => {
  const at = 1_000_000;
  it('done once completed; cancelled when the recording is gone; tried again soon while a track may still grow', () => {
    expect(decidePostProcess({ result: 'completed', latencyMs: 1, error: null }, 0, at)).toEqual({ status: 'done' });
    expect(decidePostProcess({ result: 'gone', latencyMs: 1, error: null }, 0, at)).toEqual({ status: 'cancelled' });
    expect(decidePostProcess({ result: 'not-quiet', latencyMs: 1, error: null, retryInMs: QUIET_AFTER_MS }, 7, at)).toEqual({ status: 'retry', nextAttemptAt: at + QUIET_AFTER_MS });
    // Tracks last written 700 ms ago are quiet 300 ms from now: the retry is then, not a whole window later.
    expect(decidePostProcess({ result: 'not-quiet', latencyMs: 1, error: null, retryInMs: 300 }, 0, at)).toEqual({ status: 'retry', nextAttemptAt: at + 300 });
  });
  it('a failure is retried after 5 s, 30 s, 2 min, 10 min, then the recording has failed', () => {
    const failed = { result: 'failed' as const, latencyMs: 1, error: 'ffmpeg exited with 1' };
    expect(RETRY_DELAYS_MS.map((_, i) => decidePostProcess(failed, i, at))).toEqual(RETRY_DELAYS_MS.map((d) => ({ status: 'retry', nextAttemptAt: at + d })));
    expect(decidePostProcess(failed, RETRY_DELAYS_MS.length, at)).toEqual({ status: 'exhausted' });
  });
});
