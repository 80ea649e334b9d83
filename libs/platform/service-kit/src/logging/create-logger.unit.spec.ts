import { Logger } from '@nestjs/common';
import { createLogger } from './create-logger';
import { addToLogContext, runWithLogContext } from './log-context';
import type { LogLevel } from './log-level';
import { nestLoggerFor, routeNestLogsTo } from './nest-logger';

/** A logger whose lines are kept, parsed (each must be JSON). */
function capturing(level: LogLevel = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, name: 'spec', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the process logger', () => {
  it('writes one JSON line per call: level by name, ISO time, the process name', () => {
    const { logger, parsed } = capturing();
    logger.info('started');
    expect(parsed()).toEqual([
      expect.objectContaining({ level: 'info', name: 'spec', msg: 'started', time: expect.stringMatching(/Z$/) }),
    ]);
  });

  it('mixes in the ids of the current unit of work, and what becomes known during it', async () => {
    const { logger, parsed } = capturing();
    await runWithLogContext({ requestId: 'r-1', correlationId: 'c-1', causationId: undefined }, async () => {
      logger.info('before');
      await Promise.resolve();
      addToLogContext({ userId: 'olivia', via: 'session' });
      logger.info('after');
    });
    logger.info('outside');
    const [before, after, outside] = parsed();
    expect(before).toMatchObject({ requestId: 'r-1', correlationId: 'c-1' });
    expect(before).not.toHaveProperty('causationId');
    expect(before).not.toHaveProperty('userId');
    expect(after).toMatchObject({ requestId: 'r-1', userId: 'olivia', via: 'session' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('keeps the enclosing context in a nested one unless it sets a field', () => {
    const { logger, parsed } = capturing();
    runWithLogContext({ requestId: 'r-1', correlationId: 'c-1' }, () =>
      runWithLogContext({ correlationId: 'c-2', causationId: 'e-1' }, () => logger.info('nested')),
    );
    expect(parsed()[0]).toMatchObject({ requestId: 'r-1', correlationId: 'c-2', causationId: 'e-1' });
  });

  it('censors credential-named fields and scrubs secret-shaped text from messages', () => {
    const { logger, lines } = capturing();
    logger.info(
      {
        headers: { authorization: 'Bearer abc.def', cookie: 'sid=s3cr3t' },
        token: 'tok-1',
        body: { password: 'pw-1' },
      },
      'call with Bearer abc.def',
    );
    const text = lines.join('');
    for (const secret of ['abc.def', 's3cr3t', 'tok-1', 'pw-1']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ headers: { authorization: '[redacted]' }, token: '[redacted]' });
  });

  it('serializes a request as method and path only, never its headers or body', () => {
    const { logger, parsed } = capturing();
    logger.info({
      req: { method: 'POST', url: '/v1/x', headers: { authorization: 'Bearer t' }, body: { token: 't' } },
    });
    expect(parsed()[0]?.['req']).toEqual({ method: 'POST', url: '/v1/x' });
  });

  it('drops lines below its level; silent drops all', () => {
    const warnOnly = capturing('warn');
    warnOnly.logger.info('no');
    warnOnly.logger.warn('yes');
    expect(warnOnly.parsed().map((line) => line['msg'])).toEqual(['yes']);
    const silent = capturing('silent');
    silent.logger.fatal('no');
    expect(silent.lines).toEqual([]);
  });

  it("carries Nest's logger lines (with their context) once Nest logs through it", () => {
    const { logger, parsed } = capturing();
    const nest = nestLoggerFor(logger);
    runWithLogContext({ correlationId: 'c-9' }, () => nest.warn('projection lagging', 'Projection'));
    expect(parsed()[0]).toMatchObject({
      level: 'warn',
      context: 'Projection',
      correlationId: 'c-9',
      msg: 'projection lagging',
    });
  });

  it("routes every `new Logger('X')` of the process through it", () => {
    const { logger, parsed } = capturing();
    routeNestLogsTo(logger);
    new Logger('EventRelay').error('publish failed', 'Error: boom\n    at relay (relay.ts:1:1)');
    expect(parsed()[0]).toMatchObject({ level: 'error', context: 'EventRelay', err: { message: 'publish failed' } });
  });
});
