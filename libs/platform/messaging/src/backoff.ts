import type { EventEnvelope } from '@accord/contracts';
import type { ConsumerFailure } from './event-consumer';

/**
 * Exponential backoff: each attempt waits longer, up to a ceiling, so a broken dependency is not
 * hammered. Used by retries that never give up (publishing an event, writing a checkpoint) and by
 * the bounded retries of event handlers (`retryBounded`).
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 20));
  return Math.min(maxMs, exp);
}

/**
 * Attempts on one event before a projection, reactor or consumer gives up on it and stops alone
 * (SEC-3a, SEC-3b). With the consumers' default backoff (1 s doubling, capped at 30 s) that is
 * about a minute and a half of retries: enough for a dependency to come back, bounded so one bad
 * event is reported instead of retried forever.
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** A sleep that a shutdown can cut short, so `stop()`/`close()` never wait out a long backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}

export interface BoundedRetryOptions {
  /** Attempts in all (the first included); at least 1. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Aborting ends a backoff at once; no further attempt is made. */
  readonly signal: AbortSignal;
  /** Called after each failed attempt that will be retried. */
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export type BoundedRetryOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly aborted: true }
  | { readonly ok: false; readonly aborted: false; readonly error: unknown; readonly attempts: number };

/**
 * Runs `work` until it resolves, at most `maxAttempts` times with capped exponential backoff in
 * between. Never throws: the outcome says whether it worked, was aborted, or gave up (and why).
 */
export async function retryBounded(
  work: () => Promise<void>,
  options: BoundedRetryOptions,
): Promise<BoundedRetryOutcome> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return { ok: false, aborted: true };
    try {
      await work();
      return { ok: true };
    } catch (error) {
      if (options.signal.aborted) return { ok: false, aborted: true };
      if (attempt >= maxAttempts) return { ok: false, aborted: false, error, attempts: attempt };
      const delay = backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs);
      options.onRetry?.(attempt, delay, error);
      await sleep(delay, options.signal);
    }
  }
}

/** The report of a failure on `event`: ids, type, position and the error message — never data. */
export function failureOf(
  event: Pick<EventEnvelope, 'id' | 'type' | 'globalPosition'>,
  error: unknown,
  now = new Date(),
): ConsumerFailure {
  return {
    eventId: event.id,
    eventType: event.type,
    position: event.globalPosition,
    error: describeError(error),
    since: now.toISOString(),
  };
}

/** One log line for a stopped consumer, naming what stopped it (never the event's data). */
export function describeFailure(name: string, failure: ConsumerFailure, attempts: number): string {
  return (
    `${name} FAILED and stopped on event ${failure.eventId} (${failure.eventType}) at position ${failure.position} ` +
    `after ${attempts} attempts: ${failure.error}. Other consumers keep running; fix and restart to resume from this event.`
  );
}
