import { Logger, type LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import type { ProcessLogger } from './create-logger';

/**
 * nestjs-pino's `PinoLogger`, bound to one pino instance. The stock one writes through a logger
 * it keeps module-wide (the first one it was given), which would mix the lines of two apps.
 */
class BoundPinoLogger extends PinoLogger {
  constructor(private readonly root: ProcessLogger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): ProcessLogger {
    return this.root;
  }
}

/**
 * Nest's `LoggerService` writing through `logger` (nestjs-pino's `Logger`): give it to
 * `NestFactory` as `logger`, and Nest's own lines and every `new Logger('X').log(…)` become pino
 * lines, with `context` = `'X'`.
 */
export function nestLoggerFor(logger: ProcessLogger): LoggerService {
  return new PinoNestLogger(new BoundPinoLogger(logger), {});
}

/**
 * Routes Nest's static logger through `logger` from now on, before any Nest app exists: what the
 * composition root does first, so start-up lines (relay, consumers) are pino lines too.
 */
export function routeNestLogsTo(logger: ProcessLogger): void {
  Logger.overrideLogger(nestLoggerFor(logger));
}
