import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  notFound,
  WEBHOOK_TEST_EVENT_TYPE,
  type CommandMetadata,
  type WebhookAttemptView,
  type WebhookRefPayload,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { afterFailedAttempt, DEFAULT_WEBHOOK_RETRY, type WebhookRetryPolicy } from '@accord/notification-domain';
import { SQL_CLIENT, RepeatingRound } from '@accord/service-kit';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from '../notification-options';
import { WebhookCommands } from './webhook.commands';
import { WebhookDeliveries, type WebhookDelivery } from './webhook-deliveries';
import { endpointOf } from './webhook-endpoints.projection';
import { DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhook-options';
import { WebhookSecrets } from './webhook-secrets';
import { sendWebhook, type SendOutcome } from './webhook-sender';
import { webhookHeaders } from './webhook-signature';

/** Deliveries one round sends, each claimed just before it is sent. */
const SENDS_PER_ROUND = 10;

/**
 * Sends due webhook deliveries (NOT-13, NOT-15): signed per Standard Webhooks, retried with a
 * doubling delay while the receiver fails, and given up after the retry window — then the endpoint
 * is disabled (an event the owners' inbox turns into a notice) and what it had waiting is cancelled.
 * At-least-once in one window only: the receiver answered and this process died before recording
 * it; the copy carries the same `webhook-id`, which is what receivers deduplicate on.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private readonly rounds = new RepeatingRound(
    'webhook round',
    () => this.tick(),
    (line) => this.logger.warn(line),
  );
  private readonly retry: WebhookRetryPolicy;
  private readonly timeoutMs: number;
  private readonly clock: () => Date;

  constructor(
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationServiceOptions,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly deliveries: WebhookDeliveries,
    private readonly secrets: WebhookSecrets,
    private readonly commands: WebhookCommands,
  ) {
    this.retry = { ...DEFAULT_WEBHOOK_RETRY, ...options.webhooks?.retry };
    this.timeoutMs = options.webhooks?.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.clock = options.webhooks?.clock ?? (() => new Date());
  }

  /** A lease outlives one attempt's timeout, so a slow receiver cannot get a second copy from a replica. */
  private get leaseMs(): number {
    return this.timeoutMs * 3;
  }

  onApplicationBootstrap(): void {
    this.rounds.start(this.options.webhooks?.pollMs ?? 250);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  async tick(): Promise<void> {
    for (let sent = 0; sent < SENDS_PER_ROUND; sent++) {
      const [delivery] = await this.deliveries.claimDue(1, this.clock(), this.leaseMs);
      if (!delivery) return;
      await this.attempt(delivery, true);
    }
  }

  /**
   * NOT-16: a test delivery to an endpoint of the account (active or disabled), sent now, answered
   * with its one attempt, never retried. Its event is synthetic (`webhook.test`), not stored.
   */
  async sendTest(payload: WebhookRefPayload, metadata: CommandMetadata): Promise<WebhookAttemptView> {
    const endpoint = await endpointOf(this.sql, payload.accountId, payload.endpointId);
    if (!endpoint || endpoint.status === 'deleted')
      throw notFound('webhook.not_found', 'No such webhook endpoint in this account.');
    const now = this.clock();
    const eventId = randomUUID();
    const body = JSON.stringify({
      id: eventId,
      type: WEBHOOK_TEST_EVENT_TYPE,
      schemaVersion: 1,
      occurredAt: now.toISOString(),
      accountId: payload.accountId,
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      causationId: null,
      data: { endpointId: payload.endpointId, message: 'A test delivery from Accord.' },
    });
    const deliveryId = await this.deliveries.enqueue(
      {
        endpointId: payload.endpointId,
        accountId: payload.accountId,
        eventId,
        eventType: WEBHOOK_TEST_EVENT_TYPE,
        body,
      },
      // Not due before the test sends it itself: the worker must not pick it up in between.
      new Date(now.getTime() + this.leaseMs),
    );
    const delivery = await this.deliveries.claim(deliveryId, now, this.leaseMs);
    if (!delivery) throw new Error('a new test delivery could not be claimed');
    return (await this.attempt(delivery, false, true))!;
  }

  /** One attempt of one claimed delivery; `retries`: a failure is scheduled again (not for tests). */
  private async attempt(delivery: WebhookDelivery, retries: boolean, test = false): Promise<WebhookAttemptView | null> {
    const endpoint = await this.sql.query<{ url: string; status: string }>(
      `SELECT url, status FROM webhook_endpoints WHERE endpoint_id = $1`,
      [delivery.endpointId],
    );
    const row = endpoint.rows[0];
    const secret = await this.secrets.secretOf(delivery.endpointId);
    // Deleted, disabled (a test may still reach a disabled one) or gone: nothing is sent.
    if (!row || !secret || row.status === 'deleted' || (row.status === 'disabled' && !test)) {
      await this.deliveries.cancel(delivery.deliveryId);
      return null;
    }
    const attemptedAt = this.clock();
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const outcome = await sendWebhook(
      row.url,
      webhookHeaders(secret, delivery.eventId, timestamp, delivery.body),
      delivery.body,
      this.timeoutMs,
      { allowLoopback: this.options.webhooks?.allowLoopback ?? false },
    );
    if (outcome.ok)
      return this.deliveries.record({ delivery, attemptedAt, outcome, nextAttemptAt: null, status: 'delivered' });
    if (!retries)
      return this.deliveries.record({ delivery, attemptedAt, outcome, nextAttemptAt: null, status: 'failed' });
    const firstAttemptAt = delivery.firstAttemptAt ?? attemptedAt.toISOString();
    const next = afterFailedAttempt(
      { attempt: delivery.attempts + 1, firstAttemptAt, failedAt: attemptedAt.toISOString() },
      this.retry,
    );
    if (next.kind === 'retry')
      return this.deliveries.record({
        delivery,
        attemptedAt,
        outcome,
        nextAttemptAt: new Date(next.at),
        status: 'pending',
      });
    // The event first: its id derives from the delivery, so if recording the attempt fails
    // afterwards the next round disables nothing twice; the other order could lose the disabling.
    await this.commands.disable(
      {
        endpointId: delivery.endpointId,
        accountId: delivery.accountId,
        failingSince: firstAttemptAt,
        lastFailure: failureOf(outcome),
      },
      delivery.deliveryId,
      attemptedAt.toISOString(),
    );
    const recorded = await this.deliveries.record({
      delivery,
      attemptedAt,
      outcome,
      nextAttemptAt: null,
      status: 'failed',
    });
    await this.deliveries.cancelPendingOf(delivery.endpointId);
    this.logger.warn(`webhook endpoint ${delivery.endpointId} disabled: every attempt failed since ${firstAttemptAt}`);
    return recorded;
  }
}

/** The short, secret-free failure an event may hold: the HTTP status or the network error code. */
function failureOf(outcome: SendOutcome): string {
  return outcome.statusCode !== null ? `http ${outcome.statusCode}` : (outcome.error ?? 'error');
}
