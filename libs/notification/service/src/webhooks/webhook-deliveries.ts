import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { pageOf, type Page, type PageRequest, type WebhookAttemptView } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { instantKey, SQL_CLIENT } from '@accord/service-kit';
import type { SendOutcome } from './webhook-sender';

// Fixed forever: delivery and attempt ids derive from it.
const WEBHOOK_DELIVERY_NAMESPACE = 'c2f1a7d4-8e3b-4a9c-b6d5-1f0e2d3c4b5a';

/** One event for one endpoint: the same id however often the event is handled (NOT-14). */
export function webhookDeliveryIdOf(eventId: string, endpointId: string): string {
  return uuidv5(`${eventId}/${endpointId}`, WEBHOOK_DELIVERY_NAMESPACE);
}

export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly accountId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The exact bytes sent (and signed) on every attempt. */
  readonly body: string;
  readonly attempts: number;
  readonly firstAttemptAt: string | null;
}

export interface RecordedAttempt {
  readonly delivery: WebhookDelivery;
  readonly attemptedAt: Date;
  readonly outcome: SendOutcome;
  /** The next try; null when delivered or given up. */
  readonly nextAttemptAt: Date | null;
  readonly status: 'pending' | 'delivered' | 'failed';
}

type DeliveryRow = {
  delivery_id: string;
  endpoint_id: string;
  account_id: string;
  event_id: string;
  event_type: string;
  body: string;
  attempts: number;
  first_attempt_at: Date | string | null;
};

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  deliveryId: r.delivery_id,
  endpointId: r.endpoint_id,
  accountId: r.account_id,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  attempts: r.attempts,
  firstAttemptAt: r.first_attempt_at === null ? null : new Date(r.first_attempt_at).toISOString(),
});

/**
 * The webhook outbox and the record of its attempts. One row per (event, endpoint): a redelivered
 * event inserts nothing, so an endpoint gets each event once (NOT-14). Rows are claimed with a lease
 * (SKIP LOCKED), so two replicas never send the same row at once. Times come from the caller's
 * clock, never the database's, so the retry schedule follows one clock.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  static async setup(sql: SqlClient): Promise<void> {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        delivery_id uuid PRIMARY KEY, endpoint_id uuid NOT NULL, account_id uuid NOT NULL,
        event_id uuid NOT NULL, event_type text NOT NULL, body text NOT NULL,
        status text NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0,
        first_attempt_at timestamptz, next_attempt_at timestamptz NOT NULL, claimed_until timestamptz
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await sql.query(`
      CREATE TABLE IF NOT EXISTS webhook_attempts (
        attempt_id uuid PRIMARY KEY, delivery_id uuid NOT NULL, endpoint_id uuid NOT NULL,
        event_id uuid NOT NULL, event_type text NOT NULL, attempt int NOT NULL, attempted_at timestamptz NOT NULL,
        outcome text NOT NULL, status_code int, response text, error text, duration_ms int NOT NULL,
        next_attempt_at timestamptz
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS webhook_attempts_endpoint ON webhook_attempts (endpoint_id, attempted_at DESC, attempt_id DESC)`,
    );
  }

  /** Idempotent: the id derives from the event and the endpoint. Due at once. */
  async enqueue(d: Omit<WebhookDelivery, 'deliveryId' | 'attempts' | 'firstAttemptAt'>, now: Date): Promise<string> {
    const deliveryId = webhookDeliveryIdOf(d.eventId, d.endpointId);
    await this.sql.query(
      `INSERT INTO webhook_deliveries (delivery_id, endpoint_id, account_id, event_id, event_type, body, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (delivery_id) DO NOTHING`,
      [deliveryId, d.endpointId, d.accountId, d.eventId, d.eventType, d.body, now.toISOString()],
    );
    return deliveryId;
  }

  /** Due deliveries, leased to this worker for `leaseMs`. */
  async claimDue(limit: number, now: Date, leaseMs: number): Promise<WebhookDelivery[]> {
    const { rows } = await this.sql.query<DeliveryRow>(
      `UPDATE webhook_deliveries SET claimed_until = $3
        WHERE delivery_id IN (
          SELECT delivery_id FROM webhook_deliveries
           WHERE status = 'pending' AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
    );
    return rows.map(toDelivery);
  }

  /** One delivery, claimed now whatever its schedule (a test call sends at once). */
  async claim(deliveryId: string, now: Date, leaseMs: number): Promise<WebhookDelivery | null> {
    const { rows } = await this.sql.query<DeliveryRow>(
      `UPDATE webhook_deliveries SET claimed_until = $3
        WHERE delivery_id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $2)
        RETURNING *`,
      [deliveryId, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** The attempt and the delivery's new state, together. */
  async record(a: RecordedAttempt): Promise<WebhookAttemptView> {
    const attempt = a.delivery.attempts + 1;
    const attemptId = uuidv5(`${a.delivery.deliveryId}/${attempt}`, WEBHOOK_DELIVERY_NAMESPACE);
    const at = a.attemptedAt.toISOString();
    const next = a.nextAttemptAt?.toISOString() ?? null;
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO webhook_attempts (attempt_id, delivery_id, endpoint_id, event_id, event_type, attempt, attempted_at,
                                       outcome, status_code, response, error, duration_ms, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (attempt_id) DO NOTHING`,
        [
          attemptId,
          a.delivery.deliveryId,
          a.delivery.endpointId,
          a.delivery.eventId,
          a.delivery.eventType,
          attempt,
          at,
          a.outcome.ok ? 'delivered' : 'failed',
          a.outcome.statusCode,
          a.outcome.response,
          a.outcome.error,
          a.outcome.durationMs,
          next,
        ],
      );
      await tx.query(
        `UPDATE webhook_deliveries
            SET status = $2, attempts = $3, first_attempt_at = COALESCE(first_attempt_at, $4),
                next_attempt_at = COALESCE($5, next_attempt_at), claimed_until = NULL
          WHERE delivery_id = $1`,
        [a.delivery.deliveryId, a.status, attempt, at, next],
      );
    });
    return {
      deliveryId: a.delivery.deliveryId,
      eventId: a.delivery.eventId,
      eventType: a.delivery.eventType,
      attempt,
      attemptedAt: at,
      outcome: a.outcome.ok ? 'delivered' : 'failed',
      statusCode: a.outcome.statusCode,
      response: a.outcome.response,
      error: a.outcome.error,
      durationMs: a.outcome.durationMs,
      nextAttemptAt: next,
    };
  }

  /** An endpoint that ended (deleted or disabled): what it still had waiting is never sent. */
  async cancelPendingOf(endpointId: string): Promise<void> {
    await this.sql.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', claimed_until = NULL WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpointId],
    );
  }

  async cancel(deliveryId: string): Promise<void> {
    await this.sql.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', claimed_until = NULL WHERE delivery_id = $1`,
      [deliveryId],
    );
  }

  /**
   * One page of an endpoint's attempts, newest first: a keyset over (attempted_at, attempt_id), both
   * immutable. `nextAttemptAt` shows on the newest attempt of a delivery still pending only.
   */
  async attemptsOf(endpointId: string, page: PageRequest): Promise<Page<WebhookAttemptView>> {
    const [at, id] = page.after ?? [null, null];
    const { rows } = await this.sql.query<{
      attempt_id: string;
      delivery_id: string;
      event_id: string;
      event_type: string;
      attempt: number;
      attempted_at: Date | string;
      outcome: 'delivered' | 'failed';
      status_code: number | null;
      response: string | null;
      error: string | null;
      duration_ms: number;
      next_attempt_at: Date | string | null;
      still_pending: boolean;
      k: string;
    }>(
      `SELECT a.*, ${instantKey('a.attempted_at')} AS k,
              (d.status = 'pending' AND d.attempts = a.attempt) AS still_pending
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.delivery_id = a.delivery_id
        WHERE a.endpoint_id = $1
          AND ($2::timestamptz IS NULL OR (a.attempted_at, a.attempt_id) < ($2::timestamptz, $3::uuid))
        ORDER BY a.attempted_at DESC, a.attempt_id DESC LIMIT $4`,
      [endpointId, at, id, page.limit + 1],
    );
    return pageOf(
      rows,
      page.limit,
      (r) => [r.k, r.attempt_id],
      (r) => ({
        deliveryId: r.delivery_id,
        eventId: r.event_id,
        eventType: r.event_type,
        attempt: r.attempt,
        attemptedAt: new Date(r.attempted_at).toISOString(),
        outcome: r.outcome,
        statusCode: r.status_code,
        response: r.response,
        error: r.error,
        durationMs: r.duration_ms,
        nextAttemptAt: r.still_pending && r.next_attempt_at !== null ? new Date(r.next_attempt_at).toISOString() : null,
      }),
    );
  }
}
