import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from './logger.ts';

describe('createLogger', () => {
  it('sends named records with context to the sink, children under the parent name, from the minimum level', () => {
    const records: LogRecord[] = [];
    const log = createLogger('frontdesk.agent', (r) => records.push(r), 'info');
    log.debug('not this');
    log.info('connected', { attempt: 2 });
    log.child('socket').warn('silent');
    expect(records).toEqual([
      { level: 'info', logger: 'frontdesk.agent', message: 'connected', context: { attempt: 2 } },
      { level: 'warn', logger: 'frontdesk.agent.socket', message: 'silent' },
    ]);
  });

  it('is silent without a sink, and a throwing sink does not reach the caller', () => {
    expect(() => createLogger('a', undefined).error('x')).not.toThrow();
    const log = createLogger('a', () => {
      throw new Error('sink down');
    });
    expect(() => log.error('x')).not.toThrow();
  });
});
