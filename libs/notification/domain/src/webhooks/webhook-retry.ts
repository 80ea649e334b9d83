/** How failed deliveries are retried: a doubling delay, capped, for a bounded time (NOT-15). */
export interface WebhookRetryPolicy {
  /** The delay after the first failed attempt. */
  readonly baseMs: number;
  /** The longest delay between two attempts. */
  readonly maxMs: number;
  /** How long after its first attempt a delivery is given up (and its endpoint disabled). */
  readonly giveUpAfterMs: number;
}

/** 5 s, 10 s, 20 s … up to 1 h between attempts, for 24 h. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = {
  baseMs: 5_000,
  maxMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

export interface FailedAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** ISO-8601: when the delivery's first attempt was made. */
  readonly firstAttemptAt: string;
  /** ISO-8601: when this attempt failed. */
  readonly failedAt: string;
}

export type RetryDecision = { readonly kind: 'retry'; readonly at: string } | { readonly kind: 'give_up' };

/** The delay after the `attempt`-th failure: base, 2×base, 4×base … capped at `maxMs`. */
export function webhookBackoffMs(attempt: number, policy: WebhookRetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * What follows a failed attempt: the next one after the backoff delay, but never later than the
 * end of the retry window, so the last attempt falls on the window's end; a failure at or after
 * that end gives the delivery up.
 */
export function afterFailedAttempt(failed: FailedAttempt, policy: WebhookRetryPolicy): RetryDecision {
  const deadline = Date.parse(failed.firstAttemptAt) + policy.giveUpAfterMs;
  const failedAt = Date.parse(failed.failedAt);
  if (failedAt >= deadline) return { kind: 'give_up' };
  const next = Math.min(failedAt + webhookBackoffMs(failed.attempt, policy), deadline);
  return { kind: 'retry', at: new Date(next).toISOString() };
}
