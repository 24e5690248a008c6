import { useCallback, useEffect, useRef, useState } from 'react';
import { errorInfo } from '../state/form-errors.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  isLoading: boolean;
  /** Loads again; resolves when done (errors land in `error`). */
  reload: () => Promise<void>;
}

/** Loads `load()` on mount and whenever `key` changes; the last call wins. */
export function useLoad<T>(load: () => Promise<T>, key: string = ''): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [isLoading, setLoading] = useState(true);
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await latest.current();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (err) {
      if (mine === generation.current) setError(errorInfo(err).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, key]);

  return { data, error, isLoading, reload };
}
