import type { SqlClient } from '@accord/eventstore';
import { Events, type NatsConnection } from 'nats';
import type { ConsumerHealth } from '../consumer-health';
import type { Readiness } from './ops-server';

/** A readiness check waits this long for the database before calling it unreachable. */
const DATABASE_TIMEOUT_MS = 2_000;

/**
 * Readiness of a service process (its ops port's `GET /health`): NATS connected, the database
 * answering, and no projection, read model or reactor of this process stopped on an event. Any of
 * them wrong → not ready (503) with what is wrong: a replica that cannot serve, or that runs a
 * stopped component, should hold a rollout back. (The gateway's `/health` stays 200 when degraded:
 * traffic must not be pulled from every replica for one broken feature.)
 */
export function serviceReadiness(parts: {
  readonly nats: NatsConnection;
  readonly sql: SqlClient;
  readonly health: ConsumerHealth;
}): () => Promise<Readiness> {
  // Disconnected while the client reconnects: not ready until it is back.
  let connected = true;
  void (async () => {
    for await (const status of parts.nats.status()) {
      if (status.type === Events.Disconnect) connected = false;
      else if (status.type === Events.Reconnect) connected = true;
    }
  })().catch(() => undefined);
  return async () => {
    const nats = connected && !parts.nats.isClosed() ? 'ok' : 'down';
    const database = (await answers(parts.sql)) ? 'ok' : 'down';
    const report = parts.health.snapshot();
    const ready = nats === 'ok' && database === 'ok' && report.status === 'ok';
    return {
      ready,
      body: {
        status: ready ? 'ok' : 'unavailable',
        nats,
        database,
        ...(report.failed ? { failed: report.failed } : {}),
      },
    };
  };
}

async function answers(sql: SqlClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([sql.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
