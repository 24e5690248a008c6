import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  /** When `data` was fetched (ms), for counters that tick between refreshes. */
  fetchedAt: number;
  refresh: () => void;
}

/**
 * Loads now, then every `intervalMs` while mounted, and on `refresh()` (live events call it).
 * NOTE: a refresh asked while one is in flight runs once more after it, never in parallel, so a
 * burst of events costs at most two requests.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, key = ''): Polled<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; fetchedAt: number }>({ data: undefined, error: undefined, fetchedAt: 0 });
  const latest = useRef(load);
  latest.current = load;
  const inFlight = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const run = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        try {
          const data = await latest.current();
          if (alive.current) setState({ data, error: undefined, fetchedAt: Date.now() });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (alive.current) setState((s) => ({ ...s, error: message }));
        }
      } while (again.current && alive.current);
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void run();
    const timer = setInterval(() => void run(), intervalMs);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [run, intervalMs, key]);

  return { ...state, refresh: () => void run() };
}

/** The current time, updated every `everyMs` (for wait counters). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
