import {
  normalizeEmail,
  type AccessSharedData,
  type AccountCreatedData,
  type EventEnvelope,
  type MemberJoinedData,
  type MemberLeftData,
  type MemberRemovedData,
  type RoleChangedData,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/**
 * The notification service's own view of the world: account names and members (to name the
 * account and the inviter, and to find the owners), and each person's in-app inbox. One
 * projection, so an inbox notice is written in the same transaction as the facts it quotes.
 */
export const notificationProjection: Projection = {
  name: 'notification.directory-inbox.v1',
  types: ['AccountCreated', 'MemberJoined', 'MemberRemoved', 'MemberLeft', 'RoleChanged', 'AccessShared'],

  async setup(sql: SqlClient) {
    await sql.query(`CREATE TABLE IF NOT EXISTS notification_accounts (account_id uuid PRIMARY KEY, name text NOT NULL)`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS notification_members (
        account_id uuid NOT NULL, user_id text NOT NULL, email text NOT NULL, role text NOT NULL,
        PRIMARY KEY (account_id, user_id)
      )`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS notification_inbox (
        notice_id uuid PRIMARY KEY, email_normalized text NOT NULL, kind text NOT NULL, account_id uuid NOT NULL,
        text text NOT NULL, created_at timestamptz NOT NULL, read boolean NOT NULL DEFAULT false
      )`);
    await sql.query(`CREATE INDEX IF NOT EXISTS notification_inbox_email ON notification_inbox (email_normalized, created_at DESC)`);
    await sql.query(`CREATE TABLE IF NOT EXISTS notification_invitations (invitation_id uuid PRIMARY KEY, role text NOT NULL)`);
  },

  async apply(tx: SqlClient, event: EventEnvelope) {
    switch (event.type) {
      case 'AccountCreated': {
        const d = event.data as AccountCreatedData;
        await tx.query(`INSERT INTO notification_accounts (account_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [d.accountId, d.name]);
        return upsertMember(tx, d.accountId, d.rootOwner.userId, d.rootOwner.email, 'owner');
      }
      case 'MemberJoined': {
        const d = event.data as MemberJoinedData;
        return upsertMember(tx, d.accountId, d.userId, d.email, d.role);
      }
      case 'RoleChanged': {
        const d = event.data as RoleChangedData;
        await tx.query(`UPDATE notification_members SET role = $3 WHERE account_id = $1 AND user_id = $2`, [d.accountId, d.userId, d.to]);
        return notice(tx, event, d.email, 'role_changed', `Your role in ${await accountName(tx, d.accountId)} is now ${d.to}.`);
      }
      case 'MemberRemoved': {
        const d = event.data as MemberRemovedData;
        await tx.query(`DELETE FROM notification_members WHERE account_id = $1 AND user_id = $2`, [d.accountId, d.userId]);
        return notice(tx, event, d.email, 'member_removed', `You were removed from ${await accountName(tx, d.accountId)}.`);
      }
      case 'MemberLeft': {
        const d = event.data as MemberLeftData;
        await tx.query(`DELETE FROM notification_members WHERE account_id = $1 AND user_id = $2`, [d.accountId, d.userId]);
        return;
      }
      case 'AccessShared': {
        // Seed 000: the recipient "will see a notification that a new access has been shared" —
        // also a person with no account yet, once they sign up with this e-mail.
        const d = event.data as AccessSharedData;
        const name = await accountName(tx, d.accountId);
        const inviter = await memberEmail(tx, d.accountId, d.sharedBy);
        for (const r of d.recipients) {
          await tx.query(`INSERT INTO notification_invitations (invitation_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [r.invitationId, d.role]);
          await notice(tx, event, r.email, 'access_shared', `${inviter ?? 'The owner'} shared access to ${name} with you (${d.role}).`, r.invitationId);
        }
        return;
      }
    }
  },

  async reset(tx: SqlClient) {
    for (const table of ['notification_accounts', 'notification_members', 'notification_inbox', 'notification_invitations']) await tx.query(`DELETE FROM ${table}`);
  },
};

async function upsertMember(tx: SqlClient, accountId: string, userId: string, email: string, role: string): Promise<void> {
  await tx.query(
    `INSERT INTO notification_members (account_id, user_id, email, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id, user_id) DO UPDATE SET email = EXCLUDED.email, role = EXCLUDED.role`,
    [accountId, userId, email, role],
  );
}

/** A notice id derived from its cause, so a replayed event writes the same notice once. */
async function notice(tx: SqlClient, event: EventEnvelope, email: string, kind: string, text: string, salt = ''): Promise<void> {
  await tx.query(
    `INSERT INTO notification_inbox (notice_id, email_normalized, kind, account_id, text, created_at)
     VALUES (md5($1)::uuid, $2, $3, $4, $5, $6) ON CONFLICT (notice_id) DO NOTHING`,
    [`${event.id}/${salt}`, normalizeEmail(email), kind, event.accountId, text, event.occurredAt],
  );
}

export async function accountName(sql: SqlClient, accountId: string): Promise<string> {
  const { rows } = await sql.query<{ name: string }>(`SELECT name FROM notification_accounts WHERE account_id = $1`, [accountId]);
  return rows[0]?.name ?? 'an account';
}

export async function memberEmail(sql: SqlClient, accountId: string, userId: string): Promise<string | null> {
  const { rows } = await sql.query<{ email: string }>(`SELECT email FROM notification_members WHERE account_id = $1 AND user_id = $2`, [accountId, userId]);
  return rows[0]?.email ?? null;
}

export async function ownerEmails(sql: SqlClient, accountId: string): Promise<string[]> {
  const { rows } = await sql.query<{ email: string }>(`SELECT email FROM notification_members WHERE account_id = $1 AND role = 'owner' ORDER BY email`, [accountId]);
  return rows.map((r) => r.email);
}

export async function invitationRole(sql: SqlClient, invitationId: string): Promise<string> {
  const { rows } = await sql.query<{ role: string }>(`SELECT role FROM notification_invitations WHERE invitation_id = $1`, [invitationId]);
  return rows[0]?.role ?? 'a member';
}
