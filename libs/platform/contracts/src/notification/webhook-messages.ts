import type { AccountPagePayload, PagePayload } from '../paging';

// Webhooks: an account's owners register HTTPS endpoints that receive the account's events as
// Standard Webhooks deliveries (https://www.standardwebhooks.com). The notification service owns
// them (stream `webhook-<accountId>`); these are the payloads and answers of its subjects.

/** Bounds of webhook input, shared by the gateway's DTOs and the decider. */
export const WEBHOOK_LIMITS = {
  /** Characters of an endpoint URL. */
  url: 2048,
  /** Event types one endpoint subscribes to. */
  eventTypes: 64,
  /** Endpoints an account may have at once (active or disabled; deleted ones do not count). */
  endpointsPerAccount: 20,
  /** Characters of a receiver's response body kept per attempt. */
  responseExcerpt: 500,
} as const;

/**
 * The type of the synthetic event a test call sends (`POST …/webhooks/{id}/test`). Lower case and
 * dotted, so it can never be an Accord event type; its `data` is `{ endpointId, message }`.
 */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

export type WebhookStatus = 'active' | 'disabled';

/** An endpoint as its list shows it: never the secret, only the prefix to recognise it by. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly status: WebhookStatus;
  /** `whsec_` and the first 4 characters of the secret. */
  readonly secretPrefix: string;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

export interface RegisterWebhookPayload {
  readonly accountId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
}

/** The registration's answer: the signing secret is in this answer only. */
export interface WebhookRegisteredResult extends WebhookView {
  /** `whsec_<base64>`: the Standard Webhooks signing secret, shown once. */
  readonly secret: string;
  readonly position: number;
}

export interface WebhookRefPayload {
  readonly accountId: string;
  readonly endpointId: string;
}

/** The account's endpoints, oldest first. */
export type ListWebhooksPayload = AccountPagePayload;

/** One endpoint's delivery attempts, newest first. */
export interface WebhookDeliveriesPayload extends PagePayload {
  readonly accountId: string;
  readonly endpointId: string;
}

/** One attempt to deliver one event to one endpoint, newest first in the deliveries list. */
export interface WebhookAttemptView {
  readonly deliveryId: string;
  /** The delivered event's id (the `webhook-id` header). */
  readonly eventId: string;
  readonly eventType: string;
  /** 1 for the first attempt of this delivery. */
  readonly attempt: number;
  readonly attemptedAt: string;
  readonly outcome: 'delivered' | 'failed';
  /** The receiver's HTTP status; null when no answer came (timeout, refused connection). */
  readonly statusCode: number | null;
  /** The start of the receiver's response body (at most `WEBHOOK_LIMITS.responseExcerpt` characters). */
  readonly response: string | null;
  /** Why no answer came (`timeout`, `ECONNREFUSED`, …); null when one came. */
  readonly error: string | null;
  readonly durationMs: number;
  /** When this delivery is tried next; null once it was delivered or given up, and on earlier attempts. */
  readonly nextAttemptAt: string | null;
}

/** The outcome of a test call: one attempt, made now, never retried. */
export type WebhookTestResult = WebhookAttemptView;
