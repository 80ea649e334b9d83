import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@accord/eventstore';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  type ClaimOutcome,
  type IdempotencyStore,
  type RecordedResponse,
} from './idempotency-store';

/** Advisory lock class of this table's DDL (two-int form; distinct from the event store's classes). */
const IDEMPOTENCY_SCHEMA_LOCK_CLASS = 0x41_43_53_11;
/** Expired rows are deleted on start and then at most this often, piggybacked on a claim. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     -- SHA-256 (hex) of caller, method, path and key: neither the key nor the user id is stored
     scope         text PRIMARY KEY,
     -- SHA-256 (hex) of the canonical JSON body of the first request
     fingerprint   text NOT NULL,
     -- the running attempt; NULL once its response is recorded
     lease         text,
     leased_until  timestamptz,
     status        integer,
     content_type  text,
     -- NULL when the response carried a secret shown once (never kept): replay is refused
     body          text,
     body_sha256   text,
     created_at    timestamptz NOT NULL DEFAULT now(),
     expires_at    timestamptz NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at ON idempotency_keys (expires_at)',
];

interface Row {
  readonly fingerprint: string;
  readonly lease: string | null;
  readonly status: number | null;
  readonly content_type: string | null;
  readonly body: string | null;
  readonly body_sha256: string | null;
}

/**
 * `IdempotencyStore` in the table `idempotency_keys` of the profile's database (PostgreSQL or
 * PGlite through the event store's `SqlClient`): it survives restarts and every gateway replica
 * shares it. Time is the database's `now()`, so replicas agree on leases and expiry.
 */
export class SqlIdempotencyStore implements IdempotencyStore {
  private nextSweep = 0;

  private constructor(
    private readonly sql: SqlClient,
    private readonly leaseMs: number,
  ) {}

  /** Creates the table when missing (safe when several replicas start at once) and drops expired rows. */
  static async open(sql: SqlClient, options: { readonly leaseMs?: number } = {}): Promise<SqlIdempotencyStore> {
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [IDEMPOTENCY_SCHEMA_LOCK_CLASS]);
      for (const statement of SCHEMA) await tx.query(statement);
    });
    const store = new SqlIdempotencyStore(sql, options.leaseMs ?? IDEMPOTENCY_LEASE_MS);
    await store.sweep();
    return store;
  }

  async claim(scope: string, fingerprint: string): Promise<ClaimOutcome> {
    await this.sweepNowAndThen();
    // A vanished row (released between the insert and the read) is simply claimed again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = randomUUID();
      // One statement, atomic under concurrency: insert, or take over an expired row, or a stale
      // unfinished attempt of the SAME body (its process died; another body stays a reuse).
      const { rows: claimed } = await this.sql.query<{ lease: string }>(
        `INSERT INTO idempotency_keys (scope, fingerprint, lease, leased_until, expires_at)
         VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
         ON CONFLICT (scope) DO UPDATE SET
           fingerprint = EXCLUDED.fingerprint, lease = EXCLUDED.lease, leased_until = EXCLUDED.leased_until,
           status = NULL, content_type = NULL, body = NULL, body_sha256 = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
            OR (idempotency_keys.lease IS NOT NULL AND idempotency_keys.leased_until <= now() AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
         RETURNING lease`,
        [scope, fingerprint, lease, this.leaseMs, IDEMPOTENCY_TTL_MS],
      );
      if (claimed[0]?.lease === lease) return { kind: 'claimed', lease };
      const { rows } = await this.sql.query<Row>(
        'SELECT fingerprint, lease, status, content_type, body, body_sha256 FROM idempotency_keys WHERE scope = $1',
        [scope],
      );
      const row = rows[0];
      if (!row) continue;
      if (row.lease !== null || row.status === null) return { kind: 'in_progress', fingerprint: row.fingerprint };
      return {
        kind: 'completed',
        fingerprint: row.fingerprint,
        response: {
          status: Number(row.status),
          contentType: row.content_type,
          body: row.body,
          bodySha256: row.body_sha256 ?? '',
        },
      };
    }
    throw new Error('idempotency key claim did not settle');
  }

  async complete(scope: string, lease: string, response: RecordedResponse): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5, body_sha256 = $6, lease = NULL, leased_until = NULL
       WHERE scope = $1 AND lease = $2`,
      [scope, lease, response.status, response.contentType, response.body, response.bodySha256],
    );
  }

  async release(scope: string, lease: string): Promise<void> {
    await this.sql.query('DELETE FROM idempotency_keys WHERE scope = $1 AND lease = $2', [scope, lease]);
  }

  /** Deletes rows past their 24 hours. */
  async sweep(): Promise<void> {
    this.nextSweep = Date.now() + SWEEP_EVERY_MS;
    await this.sql.query('DELETE FROM idempotency_keys WHERE expires_at <= now()');
  }

  private async sweepNowAndThen(): Promise<void> {
    if (Date.now() < this.nextSweep) return;
    // Housekeeping only: a failed sweep must not fail the request (the claim ignores expired rows anyway).
    await this.sweep().catch(() => undefined);
  }
}
