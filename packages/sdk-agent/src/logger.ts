import type { LogLevel, LogSink } from './types.ts';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  child(name: string): Logger;
}

/**
 * Named loggers with context (model: LiveKit `logger.ts`). Logs go to `sink` (the embedder's
 * hook) or nowhere: the SDK never writes to the console by itself. Callers never pass tokens
 * or passwords in `context`.
 */
export function createLogger(name: string, sink: LogSink | undefined, minLevel: LogLevel = 'info'): Logger {
  const log = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (sink && RANK[level] >= RANK[minLevel]) sink(level, name, message, context);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (child) => createLogger(`${name}.${child}`, sink, minLevel),
  };
}
