import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlClient } from '@accord/eventstore';

/**
 * Waits (bounded) until the system is quiet after the load stopped: the store's head has not moved
 * for `quietMs`, every checkpoint (read models, relay) is at the head, and the outbox has no e-mail
 * pending (one a dead worker had leased is sent once its lease ends: give `timeoutMs` more than the
 * delivery lease). Resolves whether it got there; the checks run either way and say what is missing.
 */
export async function waitUntilSettled(sql: SqlClient, timeoutMs = 60_000, quietMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastHead = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const head = Number(
      (await sql.query<{ head: string }>(`SELECT coalesce(max(global_position), 0)::text AS head FROM events`)).rows[0]
        ?.head ?? 0,
    );
    if (head !== lastHead) {
      lastHead = head;
      quietSince = Date.now();
    }
    const behind = Number(
      (
        await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM checkpoints WHERE position < $1::bigint`, [
          String(head),
        ])
      ).rows[0]?.n ?? 0,
    );
    const pending = Number(
      (
        await sql
          .query<{ n: string }>(`SELECT count(*)::text AS n FROM notification_deliveries WHERE status = 'pending'`)
          .catch(() => ({ rows: [{ n: '0' }] }))
      ).rows[0]?.n ?? 0,
    );
    if (behind === 0 && pending === 0 && Date.now() - quietSince >= quietMs) return true;
    await sleep(250);
  }
  return false;
}
