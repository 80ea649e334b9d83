import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_OPTIONS, type GatewayHttpOptions } from '../gateway-options';
import { GatewayError } from '../problem/gateway-error';

/** INV-21: accept attempts per user per minute before 429, unless configured otherwise. */
export const DEFAULT_ACCEPT_ATTEMPTS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

/**
 * A fixed-window limiter per user and action, in this gateway's memory. It slows guessing of
 * invitation ids and link tokens; with N gateway replicas a user gets at most N× the limit, which
 * is still bounded (a shared store would make it exact — not needed for this purpose).
 */
@Injectable()
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly limit: number;

  constructor(@Inject(GATEWAY_OPTIONS) options: GatewayHttpOptions) {
    this.limit = options.acceptAttemptsPerMinute ?? DEFAULT_ACCEPT_ATTEMPTS_PER_MINUTE;
  }

  /** Counts one attempt; throws a 429 (with Retry-After) once the window's limit is used up. */
  attempt(action: string, userId: string, now = Date.now()): void {
    const key = `${action}:${userId}`;
    const window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    window.count += 1;
    if (window.count > this.limit) {
      throw new GatewayError({
        kind: 'rate_limited',
        code: 'rate_limit.accept_attempts',
        message: `at most ${this.limit} attempts per minute; try again later`,
        retryAfterSeconds: Math.ceil((window.start + WINDOW_MS - now) / 1000),
      });
    }
  }

  /** Forget finished windows so the map stays as small as the set of active users. */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(key);
  }
}
