import type { AccountCreatedData, EventEnvelope, MemberJoinedData } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/** Read model of accounts and their members: "Shared with me", member lists, role look-ups. */
export const membershipProjection: Projection = {
  name: 'membership.members.v1',
  types: ['AccountCreated', 'MemberJoined'],

  async setup(sql: SqlClient) {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_accounts (
        account_id uuid PRIMARY KEY,
        name text NOT NULL,
        root_owner_id text NOT NULL,
        root_owner_email text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_members (
        account_id uuid NOT NULL,
        user_id text NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        scope jsonb NOT NULL,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, user_id)
      )`);
    await sql.query(`CREATE INDEX IF NOT EXISTS membership_members_user ON membership_members (user_id)`);
  },

  async apply(tx: SqlClient, event: EventEnvelope) {
    switch (event.type) {
      case 'AccountCreated': {
        const data = event.data as AccountCreatedData;
        await tx.query(
          `INSERT INTO membership_accounts (account_id, name, root_owner_id, root_owner_email, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING`,
          [data.accountId, data.name, data.rootOwner.userId, data.rootOwner.email, event.occurredAt],
        );
        await insertMember(tx, data.accountId, data.rootOwner.userId, data.rootOwner.email, 'owner', { type: 'global' }, event.occurredAt);
        return;
      }
      case 'MemberJoined': {
        const data = event.data as MemberJoinedData;
        await insertMember(tx, data.accountId, data.userId, data.email, data.role, data.scope, event.occurredAt);
        return;
      }
    }
  },

  async reset(tx: SqlClient) {
    await tx.query(`DELETE FROM membership_members`);
    await tx.query(`DELETE FROM membership_accounts`);
  },
};

function insertMember(tx: SqlClient, accountId: string, userId: string, email: string, role: string, scope: unknown, at: string) {
  return tx.query(
    `INSERT INTO membership_members (account_id, user_id, email, role, scope, joined_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, user_id) DO NOTHING`,
    [accountId, userId, email, role, JSON.stringify(scope), at],
  );
}
