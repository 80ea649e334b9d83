import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { NotificationKind } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
import type { MailContext } from './templates';

const DELIVERY_NAMESPACE = '3b0f7a52-5c1e-4d4e-9a57-0e8f2f7c9d11';

export interface Delivery {
  readonly deliveryId: string;
  readonly causeEventId: string;
  readonly accountId: string;
  readonly recipient: string;
  readonly kind: NotificationKind;
  /** What the template needs, WITHOUT any secret: an invitation's link is re-derived from `linkNonce`. */
  readonly context: MailContext;
  readonly linkNonce: string | null;
  readonly attempts: number;
}

/**
 * The delivery of one e-mail kind to one recipient for one cause event: the same id however often
 * the event is handled, so the outbox holds it once and a re-send carries the same Message-ID.
 */
export function deliveryIdOf(causeEventId: string, recipient: string, kind: string): string {
  return uuidv5(`${causeEventId}/${recipient.toLowerCase()}/${kind}`, DELIVERY_NAMESPACE);
}

/**
 * The outbox of e-mails. One row per (cause event, recipient, kind): a redelivered event inserts
 * nothing, so each event notifies at most once. Rows are claimed with a lease (SKIP LOCKED), so
 * two replicas never send the same row at the same time.
 */
@Injectable()
export class Deliveries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  static async setup(sql: SqlClient): Promise<void> {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS notification_deliveries (
        delivery_id uuid PRIMARY KEY,
        cause_event_id uuid NOT NULL,
        account_id uuid NOT NULL,
        recipient text NOT NULL,
        kind text NOT NULL,
        context jsonb NOT NULL,
        link_nonce text,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
  }

  /** Idempotent: the id derives from cause, recipient and kind. */
  async enqueue(d: Omit<Delivery, 'deliveryId' | 'attempts'>): Promise<void> {
    const deliveryId = deliveryIdOf(d.causeEventId, d.recipient, d.kind);
    await this.sql.query(
      `INSERT INTO notification_deliveries (delivery_id, cause_event_id, account_id, recipient, kind, context, link_nonce)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (delivery_id) DO NOTHING`,
      [deliveryId, d.causeEventId, d.accountId, d.recipient, d.kind, JSON.stringify(d.context), d.linkNonce],
    );
  }

  /** Due deliveries, leased to this worker for `leaseSeconds`. */
  async claimDue(limit: number, leaseSeconds: number): Promise<Delivery[]> {
    const { rows } = await this.sql.query<{
      delivery_id: string;
      cause_event_id: string;
      account_id: string;
      recipient: string;
      kind: NotificationKind;
      context: MailContext;
      link_nonce: string | null;
      attempts: number;
    }>(
      `UPDATE notification_deliveries SET claimed_until = now() + make_interval(secs => $2)
        WHERE delivery_id IN (
          SELECT delivery_id FROM notification_deliveries
           WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit, leaseSeconds],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      causeEventId: r.cause_event_id,
      accountId: r.account_id,
      recipient: r.recipient,
      kind: r.kind,
      context: r.context,
      linkNonce: r.link_nonce,
      attempts: r.attempts,
    }));
  }

  /** E-mails waiting to be sent (the outbox depth): pending, due or backing off. */
  async pendingCount(): Promise<number> {
    const { rows } = await this.sql.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM notification_deliveries WHERE status = 'pending'`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async markSent(deliveryId: string): Promise<void> {
    await this.sql.query(
      `UPDATE notification_deliveries SET status = 'sent', attempts = attempts + 1, claimed_until = NULL WHERE delivery_id = $1`,
      [deliveryId],
    );
  }

  async markFailed(deliveryId: string, retryInMs: number): Promise<void> {
    await this.sql.query(
      `UPDATE notification_deliveries SET attempts = attempts + 1, claimed_until = NULL,
              next_attempt_at = now() + make_interval(secs => $2) WHERE delivery_id = $1`,
      [deliveryId, retryInMs / 1000],
    );
  }
}
