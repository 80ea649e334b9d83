import type { AccordEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { WebhookSubscription } from '@accord/notification-domain';
import type { Projection } from '@accord/projections';

/**
 * The webhook endpoints of every account (never their secrets): the owners' list, and who is
 * listening when an event happens (registration and end as store positions, NOT-14). A deleted
 * endpoint keeps its row, marked, so an event delivered late still finds it ended.
 */
export const webhookEndpointsProjection: Projection = {
  name: 'notification.webhook-endpoints.v1',
  types: ['WebhookEndpointRegistered', 'WebhookEndpointDeleted', 'WebhookEndpointDisabled'],

  async setup(sql: SqlClient) {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS webhook_endpoints (
        endpoint_id uuid PRIMARY KEY, account_id uuid NOT NULL, url text NOT NULL, event_types jsonb NOT NULL,
        secret_prefix text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL,
        disabled_at timestamptz, registered_position bigint NOT NULL, ended_position bigint
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS webhook_endpoints_account ON webhook_endpoints (account_id, registered_position)`,
    );
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    switch (event.type) {
      case 'WebhookEndpointRegistered': {
        const d = event.data;
        await tx.query(
          `INSERT INTO webhook_endpoints (endpoint_id, account_id, url, event_types, secret_prefix, status, created_at, registered_position)
           VALUES ($1, $2, $3, $4, $5, 'active', $6, $7) ON CONFLICT (endpoint_id) DO NOTHING`,
          [
            d.endpointId,
            d.accountId,
            d.url,
            JSON.stringify(d.eventTypes),
            d.secretPrefix,
            event.occurredAt,
            event.globalPosition,
          ],
        );
        return;
      }
      case 'WebhookEndpointDisabled':
        await tx.query(
          `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = $2, ended_position = COALESCE(ended_position, $3)
            WHERE endpoint_id = $1 AND status = 'active'`,
          [event.data.endpointId, event.occurredAt, event.globalPosition],
        );
        return;
      case 'WebhookEndpointDeleted':
        await tx.query(
          `UPDATE webhook_endpoints SET status = 'deleted', ended_position = COALESCE(ended_position, $2) WHERE endpoint_id = $1`,
          [event.data.endpointId, event.globalPosition],
        );
        return;
    }
  },

  async reset(tx: SqlClient) {
    await tx.query(`DELETE FROM webhook_endpoints`);
  },
};

/** The account's endpoints as the delivery rule needs them (deleted ones too: they ended). */
export async function subscriptionsOf(sql: SqlClient, accountId: string): Promise<WebhookSubscription[]> {
  const { rows } = await sql.query<{
    endpoint_id: string;
    event_types: string[];
    registered_position: string | number;
    ended_position: string | number | null;
  }>(
    `SELECT endpoint_id, event_types, registered_position, ended_position FROM webhook_endpoints WHERE account_id = $1`,
    [accountId],
  );
  return rows.map((r) => ({
    endpointId: r.endpoint_id,
    accountId,
    eventTypes: r.event_types,
    registeredAt: Number(r.registered_position),
    endedAt: r.ended_position === null ? null : Number(r.ended_position),
  }));
}

export interface EndpointRow {
  readonly endpoint_id: string;
  readonly account_id: string;
  readonly url: string;
  readonly event_types: string[];
  readonly secret_prefix: string;
  readonly status: 'active' | 'disabled' | 'deleted';
  readonly created_at: Date | string;
  readonly disabled_at: Date | string | null;
  readonly registered_position: string | number;
}

/** One endpoint of one account, deleted or not; null when the account has no such endpoint. */
export async function endpointOf(sql: SqlClient, accountId: string, endpointId: string): Promise<EndpointRow | null> {
  const { rows } = await sql.query<EndpointRow>(
    `SELECT * FROM webhook_endpoints WHERE account_id = $1 AND endpoint_id = $2`,
    [accountId, endpointId],
  );
  return rows[0] ?? null;
}
