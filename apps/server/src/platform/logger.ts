import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets never reach a log: these paths are censored wherever they appear. */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'secret',
  '*.secret',
  'key',
  '*.key',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
