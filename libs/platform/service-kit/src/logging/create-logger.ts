import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import pretty from 'pino-pretty';
import { currentLogContext } from './log-context';
import type { LogLevel } from './log-level';
import { REDACTED, REDACTED_PATHS, scrubSecrets } from './redaction';
import { LOG_SERIALIZERS } from './serializers';

/** The one logger of a process (pino): every line JSON, carrying the current log context. */
export type ProcessLogger = Logger;

export interface ProcessLoggerOptions {
  readonly level: LogLevel;
  /** The process (`gateway`, `membership-service`, `accord`), as `name` on every line. */
  readonly name: string;
  /** Human-readable lines (pino-pretty) instead of JSON: `npm start` on a terminal. */
  readonly pretty?: boolean;
  /** Where the lines go; default stdout. Specs pass a stream to read them. */
  readonly destination?: DestinationStream;
}

/**
 * A process's logger: JSON lines (ISO time, level by name) with the ids of the current unit of
 * work (`requestId`, `correlationId`, `causationId`, `accountId`, actor, `traceId`) mixed in, and
 * secrets kept out three ways: credential-named keys are censored, request/response/error
 * serializers pick safe fields only, and secret-shaped text in messages is scrubbed.
 */
export function createLogger(options: ProcessLoggerOptions): ProcessLogger {
  const pinoOptions: PinoOptions = {
    name: options.name,
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    serializers: LOG_SERIALIZERS,
    hooks: { logMethod: scrubbedArguments },
    // pino-pretty colours numeric levels; JSON readers want the name.
    ...(options.pretty ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
  };
  return pino(pinoOptions, options.destination ?? defaultDestination(options.pretty === true));
}

/**
 * Stdout, written synchronously: a process that logs and then exits (a failed start, a signal)
 * loses no line.
 */
function defaultDestination(human: boolean): DestinationStream {
  if (human) {
    return pretty({
      colorize: true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      // Nest's context leads the message (`RoutesResolver: …`) rather than taking a line of its own.
      messageFormat: '{if context}{context}: {end}{msg}',
      ignore: 'pid,hostname,context',
    });
  }
  return pino.destination({ dest: 1, sync: true });
}

/** Scrubs secret-shaped text from a log call's message and from the string fields of its object. */
function scrubbedArguments(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const scrubbed = args.map((arg) => {
    if (typeof arg === 'string') return scrubSecrets(arg);
    if (arg === null || typeof arg !== 'object' || arg instanceof Error || Array.isArray(arg)) return arg;
    return Object.fromEntries(
      Object.entries(arg).map(([key, value]) => [key, typeof value === 'string' ? scrubSecrets(value) : value]),
    );
  });
  method.apply(this, scrubbed);
}
