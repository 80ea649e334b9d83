/** The levels `LOG_LEVEL` accepts, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level when `LOG_LEVEL` is unset. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** Whether a string names one of `LOG_LEVELS` (exactly: `INFO` is not a level). */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
