import { normalizeEmail, type AccordEnvelope, type AccordEventType, type EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/** The tables of one copy of the directory (account names, members, invitation roles). */
export interface DirectoryTables {
  readonly accounts: string;
  readonly members: string;
  readonly invitations: string;
}

/** The inbox projection's own directory: the facts its notices quote, in the same transaction. */
export const INBOX_DIRECTORY: DirectoryTables = {
  accounts: 'notification_accounts',
  members: 'notification_members',
  invitations: 'notification_invitations',
};
/** The mailer's directory: a separate projection, so a failed inbox never stops e-mail. */
export const MAIL_DIRECTORY: DirectoryTables = {
  accounts: 'notification_mail_accounts',
  members: 'notification_mail_members',
  invitations: 'notification_mail_invitations',
};

const DIRECTORY_TYPES: readonly AccordEventType[] = [
  'AccountCreated',
  'AccountRenamed',
  'MemberJoined',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
  'AccessShared',
  'AccessRecipientsAdded',
];

async function setupDirectory(sql: SqlClient, t: DirectoryTables): Promise<void> {
  await sql.query(`CREATE TABLE IF NOT EXISTS ${t.accounts} (account_id uuid PRIMARY KEY, name text NOT NULL)`);
  await sql.query(`
    CREATE TABLE IF NOT EXISTS ${t.members} (
      account_id uuid NOT NULL, user_id text NOT NULL, email text NOT NULL, role text NOT NULL,
      PRIMARY KEY (account_id, user_id)
    )`);
  await sql.query(`CREATE TABLE IF NOT EXISTS ${t.invitations} (invitation_id uuid PRIMARY KEY, role text NOT NULL)`);
}

/** The directory's part of an event (the facts e-mails and notices quote). */
async function applyDirectory(tx: SqlClient, event: AccordEnvelope, t: DirectoryTables): Promise<void> {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      await tx.query(`INSERT INTO ${t.accounts} (account_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        d.accountId,
        d.name,
      ]);
      return upsertMember(tx, t, d.accountId, d.rootOwner.userId, d.rootOwner.email, 'owner');
    }
    case 'MemberJoined': {
      const d = event.data;
      return upsertMember(tx, t, d.accountId, d.userId, d.email, d.role);
    }
    case 'AccountRenamed': {
      // MEM-21: mails and notices quote the name the account has now.
      const d = event.data;
      await tx.query(`UPDATE ${t.accounts} SET name = $2 WHERE account_id = $1`, [d.accountId, d.name]);
      return;
    }
    case 'RoleChanged': {
      const d = event.data;
      await tx.query(`UPDATE ${t.members} SET role = $3 WHERE account_id = $1 AND user_id = $2`, [
        d.accountId,
        d.userId,
        d.to,
      ]);
      return;
    }
    case 'MemberRemoved':
    case 'MemberLeft': {
      const d = event.data;
      await tx.query(`DELETE FROM ${t.members} WHERE account_id = $1 AND user_id = $2`, [d.accountId, d.userId]);
      return;
    }
    case 'AccessShared':
    case 'AccessRecipientsAdded': {
      const d = event.data;
      for (const r of d.recipients) {
        await tx.query(`INSERT INTO ${t.invitations} (invitation_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          r.invitationId,
          d.role,
        ]);
      }
      return;
    }
  }
}

async function resetDirectory(tx: SqlClient, t: DirectoryTables): Promise<void> {
  for (const table of [t.accounts, t.members, t.invitations]) await tx.query(`DELETE FROM ${table}`);
}

/**
 * The in-app inbox, with its own copy of the directory (account names and members, to name the
 * account and the inviter): one projection, so an inbox notice is written in the same transaction
 * as the facts it quotes. The mailer does NOT read it (see `mailDirectoryProjection`): if this
 * projection stops on a bad event, the inbox is unavailable but e-mail still goes out.
 */
export const notificationProjection: Projection = {
  name: 'notification.directory-inbox.v1',
  // INV-29: the owners hear in their inbox that an access ran out.
  types: [...DIRECTORY_TYPES, 'WebhookEndpointDisabled', 'AccessExpired'],

  async setup(sql: SqlClient) {
    await setupDirectory(sql, INBOX_DIRECTORY);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS notification_inbox (
        notice_id uuid PRIMARY KEY, email_normalized text NOT NULL, kind text NOT NULL, account_id uuid NOT NULL,
        text text NOT NULL, created_at timestamptz NOT NULL
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS notification_inbox_email ON notification_inbox (email_normalized, created_at DESC)`,
    );
    // Which notices their reader marked read: the reader's own state, not derived from events, so
    // it lives beside the projection and survives a rebuild (reset never touches it).
    await sql.query(`
      CREATE TABLE IF NOT EXISTS notification_inbox_reads (
        notice_id uuid NOT NULL, email_normalized text NOT NULL, read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notice_id, email_normalized)
      )`);
    // Data folders from before kept the flag inside the projection (lost on a rebuild): move it.
    await sql.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'notification_inbox' AND column_name = 'read') THEN
          INSERT INTO notification_inbox_reads (notice_id, email_normalized)
            SELECT notice_id, email_normalized FROM notification_inbox WHERE read ON CONFLICT DO NOTHING;
          ALTER TABLE notification_inbox DROP COLUMN read;
        END IF;
      END $$`);
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    await applyDirectory(tx, event, INBOX_DIRECTORY);
    switch (event.type) {
      case 'RoleChanged': {
        const d = event.data;
        return notice(
          tx,
          event,
          d.email,
          'role_changed',
          `Your role in ${await accountName(tx, d.accountId)} is now ${d.to}.`,
        );
      }
      case 'MemberRemoved': {
        const d = event.data;
        return notice(
          tx,
          event,
          d.email,
          'member_removed',
          d.reason === 'account_closed'
            ? `${await accountName(tx, d.accountId)} was closed by its owner: you are no longer a member.`
            : `You were removed from ${await accountName(tx, d.accountId)}${REMOVAL_CAUSE[d.reason ?? ''] ?? '.'}`,
        );
      }
      case 'AccessRecipientsAdded': {
        // NOT-6, INV-27: people added to an access hear of it as a share's recipients do.
        const d = event.data;
        return shareNotices(tx, event, d.accountId, d.addedBy, d.role, d.recipients);
      }
      case 'AccessExpired': {
        // INV-29: every owner of the moment is told.
        const d = event.data;
        const name = await accountName(tx, d.accountId);
        return ownersNotice(
          tx,
          event,
          d.accountId,
          'access_expired',
          `An access shared from ${name} ended at ${d.expiredAt}: the members who joined through it were removed.`,
        );
      }
      case 'AccessShared': {
        // NOT-6: the recipient "will see a notification that a new access has been shared" —
        // also a person with no account yet, once they sign up with this e-mail.
        const d = event.data;
        return shareNotices(tx, event, d.accountId, d.sharedBy, d.role, d.recipients);
      }
      case 'WebhookEndpointDisabled': {
        // NOT-15: every owner of that moment hears that their endpoint stopped receiving events.
        const d = event.data;
        const name = await accountName(tx, d.accountId);
        return ownersNotice(
          tx,
          event,
          d.accountId,
          'webhook_disabled',
          `The webhook endpoint ${d.url} of ${name} was disabled: every delivery failed for 24 hours (last: ${d.lastFailure}).`,
        );
      }
    }
  },

  async reset(tx: SqlClient) {
    await resetDirectory(tx, INBOX_DIRECTORY);
    await tx.query(`DELETE FROM notification_inbox`);
  },
};

/**
 * The mailer's directory (names, members, owners, invitation roles as of each event): a projection
 * of its own, independent of the inbox. It writes facts only, so an event the inbox cannot turn
 * into a notice does not hold e-mail hostage (SEC-3d).
 */
export const mailDirectoryProjection: Projection = {
  name: 'notification.mail-directory.v1',
  types: DIRECTORY_TYPES,
  setup: (sql) => setupDirectory(sql, MAIL_DIRECTORY),
  apply: (tx, event) => applyDirectory(tx, event, MAIL_DIRECTORY),
  reset: (tx) => resetDirectory(tx, MAIL_DIRECTORY),
};

async function upsertMember(
  tx: SqlClient,
  t: DirectoryTables,
  accountId: string,
  userId: string,
  email: string,
  role: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${t.members} (account_id, user_id, email, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id, user_id) DO UPDATE SET email = EXCLUDED.email, role = EXCLUDED.role`,
    [accountId, userId, email, role],
  );
}

/** INV-28, INV-29: a removal that was the end of the member's access says so. */
const REMOVAL_CAUSE: Readonly<Record<string, string>> = {
  access_revoked: ': the access you joined through was revoked.',
  access_expired: ': the access you joined through has expired.',
};

/** A notice id derived from its cause, so a replayed event writes the same notice once. */
async function notice(
  tx: SqlClient,
  event: EventEnvelope,
  email: string,
  kind: string,
  text: string,
  salt = '',
): Promise<void> {
  await tx.query(
    `INSERT INTO notification_inbox (notice_id, email_normalized, kind, account_id, text, created_at)
     VALUES (md5($1)::uuid, $2, $3, $4, $5, $6) ON CONFLICT (notice_id) DO NOTHING`,
    [`${event.id}/${salt}`, normalizeEmail(email), kind, event.accountId, text, event.occurredAt],
  );
}

/** Each recipient of a share (or of recipients added to one) hears who shared which account, as what. */
async function shareNotices(
  tx: SqlClient,
  event: EventEnvelope,
  accountId: string,
  sharerId: string,
  role: string,
  recipients: readonly { readonly email: string; readonly invitationId: string }[],
): Promise<void> {
  const name = await accountName(tx, accountId);
  const inviter = (await memberEmail(tx, accountId, sharerId)) ?? 'The owner';
  for (const r of recipients)
    await notice(
      tx,
      event,
      r.email,
      'access_shared',
      `${inviter} shared access to ${name} with you (${role}).`,
      r.invitationId,
    );
}

/** One notice to every owner of the moment, each its own (salted with the address). */
async function ownersNotice(tx: SqlClient, event: EventEnvelope, accountId: string, kind: string, text: string) {
  for (const owner of await ownerEmails(tx, accountId))
    await notice(tx, event, owner, kind, text, normalizeEmail(owner));
}

export async function accountName(
  sql: SqlClient,
  accountId: string,
  t: DirectoryTables = INBOX_DIRECTORY,
): Promise<string> {
  const { rows } = await sql.query<{ name: string }>(`SELECT name FROM ${t.accounts} WHERE account_id = $1`, [
    accountId,
  ]);
  return rows[0]?.name ?? 'an account';
}

export async function memberEmail(
  sql: SqlClient,
  accountId: string,
  userId: string,
  t: DirectoryTables = INBOX_DIRECTORY,
): Promise<string | null> {
  const { rows } = await sql.query<{ email: string }>(
    `SELECT email FROM ${t.members} WHERE account_id = $1 AND user_id = $2`,
    [accountId, userId],
  );
  return rows[0]?.email ?? null;
}

export async function ownerEmails(
  sql: SqlClient,
  accountId: string,
  t: DirectoryTables = INBOX_DIRECTORY,
): Promise<string[]> {
  const { rows } = await sql.query<{ email: string }>(
    `SELECT email FROM ${t.members} WHERE account_id = $1 AND role = 'owner' ORDER BY email`,
    [accountId],
  );
  return rows.map((r) => r.email);
}

export async function invitationRole(
  sql: SqlClient,
  invitationId: string,
  t: DirectoryTables = INBOX_DIRECTORY,
): Promise<string> {
  const { rows } = await sql.query<{ role: string }>(`SELECT role FROM ${t.invitations} WHERE invitation_id = $1`, [
    invitationId,
  ]);
  return rows[0]?.role ?? 'a member';
}
