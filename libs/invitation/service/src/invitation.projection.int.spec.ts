import type { SqlClient } from '@accord/eventstore';
import { createTestPglite } from '@accord/testing';
import { invitationProjection } from './invitation.projection';

// The v3 read model on a data folder that v2 set up: its checkpoint (a new name) starts at 0, so
// the old rows must go and the new columns must exist before the first event is replayed.
describe('invitation read model: from v2 tables to v3', () => {
  let sql: SqlClient;

  beforeAll(async () => {
    sql = await createTestPglite();
  });
  afterAll(() => sql.close());

  it('adds the v3 columns and empties the v2 rows, which the v3 checkpoint replays', async () => {
    await sql.query(`CREATE TABLE invitation_accesses (
        access_id uuid PRIMARY KEY, account_id uuid NOT NULL, name text NOT NULL, type text NOT NULL,
        scope jsonb NOT NULL, role text NOT NULL, message text, shared_by text NOT NULL, shared_at timestamptz NOT NULL)`);
    await sql.query(`CREATE TABLE invitation_invitations (
        invitation_id uuid PRIMARY KEY, access_id uuid NOT NULL, account_id uuid NOT NULL, email text NOT NULL,
        email_normalized text NOT NULL, position int NOT NULL, status text NOT NULL, expires_at timestamptz NOT NULL,
        token_hash text NOT NULL, shared_by text NOT NULL)`);
    await sql.query(`CREATE TABLE invitation_account_names (account_id uuid PRIMARY KEY, name text NOT NULL)`);
    await sql.query(`INSERT INTO invitation_account_names VALUES ('00000000-0000-4000-8000-000000000001', 'Acme')`);

    await invitationProjection.setup(sql);
    await invitationProjection.setup(sql); // idempotent: a second start changes nothing

    const { rows } = await sql.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE column_name IN ('inviter_email', 'accepted_by', 'ended_at', 'ended_reason') ORDER BY column_name`,
    );
    expect(rows).toEqual([
      { table_name: 'invitation_invitations', column_name: 'accepted_by' },
      { table_name: 'invitation_invitations', column_name: 'ended_at' },
      { table_name: 'invitation_invitations', column_name: 'ended_reason' },
      { table_name: 'invitation_accesses', column_name: 'inviter_email' },
    ]);
    expect((await sql.query(`SELECT * FROM invitation_account_names`)).rows).toEqual([]);
    expect(invitationProjection.name).toBe('invitation.accesses.v5');
  });
});
