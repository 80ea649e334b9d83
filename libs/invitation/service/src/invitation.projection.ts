import { normalizeEmail, type AccessSharedData, type AccordEnvelope, type InvitationRef } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/**
 * Read model of accesses and invitations: the sharer's list, each recipient's inbox, link
 * look-ups by token hash, and the due list of the expiry scheduler. It also keeps account names
 * and members' e-mails from the membership events (the store is shared; no service call needed).
 */
export const invitationProjection: Projection = {
  name: 'invitation.accesses.v2',
  types: [
    'AccessShared',
    'InvitationAccepted',
    'InvitationDeclined',
    'InvitationResent',
    'InvitationRevoked',
    'InvitationExpired',
    'AccountCreated',
    'MemberJoined',
    'MemberRemoved',
    'MemberLeft',
  ],

  async setup(sql: SqlClient) {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS invitation_accesses (
        access_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        scope jsonb NOT NULL,
        role text NOT NULL,
        message text,
        shared_by text NOT NULL,
        shared_at timestamptz NOT NULL
      )`);
    await sql.query(`CREATE INDEX IF NOT EXISTS invitation_accesses_account ON invitation_accesses (account_id)`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS invitation_invitations (
        invitation_id uuid PRIMARY KEY,
        access_id uuid NOT NULL,
        account_id uuid NOT NULL,
        email text NOT NULL,
        email_normalized text NOT NULL,
        position int NOT NULL,
        status text NOT NULL,
        expires_at timestamptz NOT NULL,
        token_hash text NOT NULL,
        shared_by text NOT NULL
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS invitation_invitations_email ON invitation_invitations (email_normalized)`,
    );
    await sql.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS invitation_invitations_token ON invitation_invitations (token_hash)`,
    );
    await sql.query(
      `CREATE INDEX IF NOT EXISTS invitation_invitations_due ON invitation_invitations (expires_at) WHERE status = 'pending'`,
    );
    await sql.query(
      `CREATE TABLE IF NOT EXISTS invitation_account_names (account_id uuid PRIMARY KEY, name text NOT NULL)`,
    );
    await sql.query(`
      CREATE TABLE IF NOT EXISTS invitation_members (
        account_id uuid NOT NULL,
        user_id text NOT NULL,
        email text NOT NULL,
        PRIMARY KEY (account_id, user_id)
      )`);
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    switch (event.type) {
      case 'AccessShared':
        return shared(tx, event.data, event.occurredAt);
      case 'InvitationAccepted':
        return setStatus(tx, event.data, 'accepted');
      case 'InvitationDeclined':
        return setStatus(tx, event.data, 'declined');
      case 'InvitationRevoked':
        return setStatus(tx, event.data, 'revoked');
      case 'InvitationExpired':
        return setStatus(tx, event.data, 'expired');
      case 'InvitationResent': {
        const d = event.data;
        await tx.query(
          `UPDATE invitation_invitations SET status = 'pending', expires_at = $2, token_hash = $3 WHERE invitation_id = $1`,
          [d.invitationId, d.expiresAt, d.link.tokenHash],
        );
        return;
      }
      case 'AccountCreated': {
        const d = event.data;
        await tx.query(
          `INSERT INTO invitation_account_names (account_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          [d.accountId, d.name],
        );
        await addMember(tx, d.accountId, d.rootOwner.userId, d.rootOwner.email);
        return;
      }
      case 'MemberJoined': {
        const d = event.data;
        return addMember(tx, d.accountId, d.userId, d.email);
      }
      case 'MemberRemoved':
      case 'MemberLeft': {
        const d = event.data;
        await tx.query(`DELETE FROM invitation_members WHERE account_id = $1 AND user_id = $2`, [
          d.accountId,
          d.userId,
        ]);
        return;
      }
    }
  },

  async reset(tx: SqlClient) {
    for (const table of [
      'invitation_invitations',
      'invitation_accesses',
      'invitation_account_names',
      'invitation_members',
    ]) {
      await tx.query(`DELETE FROM ${table}`);
    }
  },
};

async function shared(tx: SqlClient, d: AccessSharedData, occurredAt: string): Promise<void> {
  await tx.query(
    `INSERT INTO invitation_accesses (access_id, account_id, name, type, scope, role, message, shared_by, shared_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (access_id) DO NOTHING`,
    [d.accessId, d.accountId, d.name, d.type, JSON.stringify(d.scope), d.role, d.message, d.sharedBy, occurredAt],
  );
  for (const [position, r] of d.recipients.entries()) {
    await tx.query(
      `INSERT INTO invitation_invitations
         (invitation_id, access_id, account_id, email, email_normalized, position, status, expires_at, token_hash, shared_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9) ON CONFLICT (invitation_id) DO NOTHING`,
      [
        r.invitationId,
        d.accessId,
        d.accountId,
        r.email,
        normalizeEmail(r.email),
        position,
        d.expiresAt,
        r.link.tokenHash,
        d.sharedBy,
      ],
    );
  }
}

async function setStatus(tx: SqlClient, ref: InvitationRef, status: string): Promise<void> {
  await tx.query(`UPDATE invitation_invitations SET status = $2 WHERE invitation_id = $1`, [ref.invitationId, status]);
}

async function addMember(tx: SqlClient, accountId: string, userId: string, email: string): Promise<void> {
  await tx.query(
    `INSERT INTO invitation_members (account_id, user_id, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [accountId, userId, email],
  );
}
