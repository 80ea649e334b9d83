import type { WebhookRetryPolicy } from '@accord/notification-domain';

/** How the notification service delivers webhooks; every field has a default. */
export interface WebhookOptions {
  /** The embedded profile: receivers on loopback hosts are allowed, over http too (NOT-11). */
  readonly allowLoopback?: boolean;
  /** Backoff and the retry window (default 5 s doubling to 1 h, for 24 h). */
  readonly retry?: Partial<WebhookRetryPolicy>;
  /** How often the worker looks for due deliveries. */
  readonly pollMs?: number;
  /** How long one attempt waits for the receiver's answer. */
  readonly timeoutMs?: number;
  /** The time the worker and the commands go by (specs advance it). */
  readonly clock?: () => Date;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
