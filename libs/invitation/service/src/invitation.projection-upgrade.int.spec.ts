import type { SqlClient } from '@accord/eventstore';
import { createTestPglite } from '@accord/testing';
import { invitationProjection } from './invitation.projection';

// The read model on a data folder an older version set up: the new version's checkpoint (a new
// name) starts at 0, so the old rows must go and the new columns must exist before the first event
// is replayed. v4 added accesses' status and end date (INV-28, INV-29); v5 what they grant (INV-26).
describe('invitation read model: from older tables to the current ones', () => {
  let sql: SqlClient;

  beforeAll(async () => {
    sql = await createTestPglite();
  });
  afterAll(() => sql.close());

  it('adds the v4 columns of accesses and empties the v3 rows, which the v4 checkpoint replays', async () => {
    await sql.query(`CREATE TABLE invitation_accesses (
        access_id uuid PRIMARY KEY, account_id uuid NOT NULL, name text NOT NULL, type text NOT NULL,
        scope jsonb NOT NULL, role text NOT NULL, message text, shared_by text NOT NULL, shared_at timestamptz NOT NULL,
        inviter_email text)`);
    await sql.query(`CREATE TABLE invitation_invitations (
        invitation_id uuid PRIMARY KEY, access_id uuid NOT NULL, account_id uuid NOT NULL, email text NOT NULL,
        email_normalized text NOT NULL, position int NOT NULL, status text NOT NULL, expires_at timestamptz NOT NULL,
        token_hash text NOT NULL, shared_by text NOT NULL, accepted_by text, ended_at timestamptz, ended_reason text)`);
    await sql.query(`INSERT INTO invitation_accesses VALUES ('00000000-0000-4000-8000-000000000002',
        '00000000-0000-4000-8000-000000000001', 'Team', 'delegate', '{"type":"global"}', 'accountant', NULL,
        'u-owner', now(), 'owner@example.com')`);

    await invitationProjection.setup(sql);
    await invitationProjection.setup(sql); // idempotent: a second start changes nothing

    const { rows } = await sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'invitation_accesses' AND column_name IN ('status', 'access_expires_at', 'access_ended_at')
        ORDER BY column_name`,
    );
    expect(rows.map((r) => r.column_name)).toEqual(['access_ended_at', 'access_expires_at', 'status']);
    expect((await sql.query(`SELECT * FROM invitation_accesses`)).rows).toEqual([]);
    expect(invitationProjection.name).toBe('invitation.accesses.v5');
  });

  it('adds the v5 columns of accesses (what they grant) and empties the v4 rows, which the v5 checkpoint replays', async () => {
    const fresh = await createTestPglite();
    try {
      await fresh.query(`CREATE TABLE invitation_accesses (
          access_id uuid PRIMARY KEY, account_id uuid NOT NULL, name text NOT NULL, type text NOT NULL,
          scope jsonb NOT NULL, role text NOT NULL, message text, shared_by text NOT NULL,
          shared_at timestamptz NOT NULL, inviter_email text, status text NOT NULL DEFAULT 'active',
          access_expires_at timestamptz, access_ended_at timestamptz)`);
      await fresh.query(`INSERT INTO invitation_accesses (access_id, account_id, name, type, scope, role, shared_by, shared_at)
          VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Team', 'delegate',
          '{"type":"global"}', 'accountant', 'u-owner', now())`);

      await invitationProjection.setup(fresh);
      await invitationProjection.setup(fresh);

      const { rows } = await fresh.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = 'invitation_accesses' AND column_name IN ('permissions', 'may_create_environments')
          ORDER BY column_name`,
      );
      expect(rows.map((r) => r.column_name)).toEqual(['may_create_environments', 'permissions']);
      expect((await fresh.query(`SELECT * FROM invitation_accesses`)).rows).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
