/**
 * Named loggers with context, silent unless the embedder gives a sink: the SDKs never write to the
 * console by themselves. Each record names its logger (`frontdesk.visitor.socket`,
 * `frontdesk.agent.tabs`…), so an embedder can forward SDK logs to its own logging and filter them.
 * Model: LiveKit `src/logger.ts` (named loggers, a level, an extension hook), without its
 * module-level registry: each client has its own sink, so two clients on a page log apart.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  /** e.g. 'frontdesk.visitor.socket' */
  logger: string;
  message: string;
  /** Never holds tokens, passwords or message texts. */
  context?: Record<string, unknown>;
}

/** The embedder's hook. */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  readonly name: string;
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  /** A logger named `<this name>.<name>`, to the same sink and level. */
  child(name: string): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(name: string, sink: LogSink | undefined, minLevel: LogLevel = 'debug'): Logger {
  const at = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (!sink || RANK[level] < RANK[minLevel]) return;
    try {
      sink(context ? { level, logger: name, message, context } : { level, logger: name, message });
    } catch {
      // A faulty sink must not break the client.
    }
  };
  return { name, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (child) => createLogger(`${name}.${child}`, sink, minLevel) };
}
