/**
 * SDK logging: silent unless the embedder passes a sink. Each record names its logger
 * ('frontdesk.visitor.socket'…) and carries context, so a business can forward it to its own
 * logging. Model: LiveKit's logger.ts.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  /** e.g. 'frontdesk.visitor.socket' */
  logger: string;
  message: string;
  context?: Record<string, unknown>;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export function createLogger(name: string, sink: LogSink | undefined): Logger {
  const emit = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (!sink) return;
    try {
      sink(context ? { level, logger: name, message, context } : { level, logger: name, message });
    } catch {
      // A faulty sink must not break the client.
    }
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
