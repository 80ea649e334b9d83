import type { AccordEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/** Read model for listing tokens: prefix, name, scope, permissions, created, expires, revoked, rotated. */
export const tokenProjection: Projection = {
  name: 'token.tokens.v1',
  types: ['ApiTokenIssued', 'ApiTokenRevoked', 'ApiTokenRotated'],

  async setup(sql: SqlClient) {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS token_tokens (
        token_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        user_id text NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        permissions jsonb,
        scope jsonb,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked boolean NOT NULL DEFAULT false,
        rotated_at timestamptz
      )`);
    // Tables made before rotation existed: no token of theirs was rotated, so null is right.
    await sql.query(`ALTER TABLE token_tokens ADD COLUMN IF NOT EXISTS rotated_at timestamptz`);
    await sql.query(`CREATE INDEX IF NOT EXISTS token_tokens_account ON token_tokens (account_id, user_id)`);
    // Last use is not an event (one per request would swamp the store): batches land here.
    await sql.query(
      `CREATE TABLE IF NOT EXISTS token_last_used (token_id uuid PRIMARY KEY, last_used_at timestamptz NOT NULL)`,
    );
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    if (event.type === 'ApiTokenIssued') {
      const d = event.data;
      await tx.query(
        `INSERT INTO token_tokens (token_id, account_id, user_id, name, prefix, permissions, scope, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (token_id) DO NOTHING`,
        [
          d.tokenId,
          d.accountId,
          d.userId,
          d.name,
          d.prefix,
          JSON.stringify(d.permissions),
          JSON.stringify(d.scope),
          event.occurredAt,
          d.expiresAt,
        ],
      );
    } else if (event.type === 'ApiTokenRevoked') {
      await tx.query(`UPDATE token_tokens SET revoked = true WHERE token_id = $1`, [event.data.tokenId]);
    } else if (event.type === 'ApiTokenRotated') {
      // The list shows the current secret's prefix, so its user can tell which secret is which.
      await tx.query(`UPDATE token_tokens SET prefix = $2, rotated_at = $3 WHERE token_id = $1`, [
        event.data.tokenId,
        event.data.prefix,
        event.occurredAt,
      ]);
    }
  },

  async reset(tx: SqlClient) {
    await tx.query(`DELETE FROM token_tokens`);
  },
};
