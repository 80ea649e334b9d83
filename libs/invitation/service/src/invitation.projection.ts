import {
  normalizeEmail,
  type AccessRecipientsAddedData,
  type AccessSharedData,
  type AccordEnvelope,
  type InvitationRef,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';
import { recipientEndReason } from './recipient-end';

/**
 * Read model of accesses and invitations: the sharer's list, each recipient's inbox, link
 * look-ups by token hash, and the due list of the expiry scheduler. It also keeps account names
 * and members' e-mails from the membership events (the store is shared; no service call needed):
 * the sharer's e-mail is kept with each access, and a member leaving or removed ends the
 * invitations they accepted (INV-24).
 */
export const invitationProjection: Projection = {
  // v3: accesses keep the inviter's e-mail; invitations who accepted them and when and why that ended.
  // v4: accesses keep their status, end date and when they ended (INV-28, INV-29).
  // v5: accesses keep the permissions and environment flag they grant (INV-25, INV-26).
  name: 'invitation.accesses.v5',
  types: [
    'AccessShared',
    'AccessRecipientsAdded',
    'AccessRenamed',
    'AccessRevoked',
    'AccessExpired',
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
        shared_at timestamptz NOT NULL,
        inviter_email text,
        status text NOT NULL DEFAULT 'active',
        access_expires_at timestamptz,
        access_ended_at timestamptz,
        permissions jsonb NOT NULL DEFAULT '[]',
        may_create_environments boolean NOT NULL DEFAULT false
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
        shared_by text NOT NULL,
        accepted_by text,
        ended_at timestamptz,
        ended_reason text
      )`);
    await sql.query(
      `CREATE INDEX IF NOT EXISTS invitation_invitations_email ON invitation_invitations (email_normalized)`,
    );
    await sql.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS invitation_invitations_token ON invitation_invitations (token_hash)`,
    );
    // One access's recipients (GET …/accesses/{accessId}) without scanning every invitation.
    await sql.query(`CREATE INDEX IF NOT EXISTS invitation_invitations_access ON invitation_invitations (access_id)`);
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
    await upgradeFromV2(sql);
    await upgradeFromV3(sql);
    await upgradeFromV4(sql);
    // The access-expiry scheduler's work list (INV-29).
    await sql.query(
      `CREATE INDEX IF NOT EXISTS invitation_accesses_due ON invitation_accesses (access_expires_at)
        WHERE status = 'active' AND access_expires_at IS NOT NULL`,
    );
    await sql.query(
      `CREATE INDEX IF NOT EXISTS invitation_invitations_accepted_by ON invitation_invitations (account_id, accepted_by)
        WHERE accepted_by IS NOT NULL`,
    );
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    switch (event.type) {
      case 'AccessShared':
        return shared(tx, event.data, event.occurredAt);
      case 'AccessRecipientsAdded':
        return recipientsAdded(tx, event.data);
      case 'AccessRenamed': {
        const d = event.data;
        await tx.query(`UPDATE invitation_accesses SET name = $2 WHERE access_id = $1`, [d.accessId, d.name]);
        return;
      }
      case 'AccessRevoked':
        return accessEnded(tx, event.data.accessId, 'revoked', event.data.revokedAt);
      case 'AccessExpired':
        return accessEnded(tx, event.data.accessId, 'expired', event.data.expiredAt);
      case 'InvitationAccepted': {
        const d = event.data;
        await tx.query(
          `UPDATE invitation_invitations SET status = 'accepted', accepted_by = $2 WHERE invitation_id = $1`,
          [d.invitationId, d.userId],
        );
        return;
      }
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
        // INV-24: what they accepted in this account ended now; an earlier end keeps its time and cause.
        await tx.query(
          `UPDATE invitation_invitations SET ended_at = $3, ended_reason = $4
            WHERE account_id = $1 AND accepted_by = $2 AND status = 'accepted' AND ended_at IS NULL`,
          [d.accountId, d.userId, event.occurredAt, recipientEndReason(event)],
        );
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
  // The sharer is a member when they share (INV-1), so their e-mail is known here; kept with the
  // access, the invitee still sees who invited them after the sharer has gone (INV-25).
  await tx.query(
    `INSERT INTO invitation_accesses
       (access_id, account_id, name, type, scope, role, message, shared_by, shared_at, inviter_email, access_expires_at,
        permissions, may_create_environments)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
       (SELECT email FROM invitation_members WHERE account_id = $2 AND user_id = $8), $10, $11, $12)
     ON CONFLICT (access_id) DO NOTHING`,
    [
      d.accessId,
      d.accountId,
      d.name,
      d.type,
      JSON.stringify(d.scope),
      d.role,
      d.message,
      d.sharedBy,
      occurredAt,
      d.accessExpiresAt ?? null,
      JSON.stringify(d.permissions ?? []),
      d.mayCreateEnvironments === true,
    ],
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

/** INV-27: the new recipients follow the access's earlier ones, in the order they were named. */
async function recipientsAdded(tx: SqlClient, d: AccessRecipientsAddedData): Promise<void> {
  for (const r of d.recipients) {
    await tx.query(
      `INSERT INTO invitation_invitations
         (invitation_id, access_id, account_id, email, email_normalized, position, status, expires_at, token_hash, shared_by)
       VALUES ($1, $2, $3, $4, $5,
         (SELECT coalesce(max(position), -1) + 1 FROM invitation_invitations WHERE access_id = $2),
         'pending', $6, $7, $8) ON CONFLICT (invitation_id) DO NOTHING`,
      [
        r.invitationId,
        d.accessId,
        d.accountId,
        r.email,
        normalizeEmail(r.email),
        d.expiresAt,
        r.link.tokenHash,
        d.addedBy,
      ],
    );
  }
}

/** INV-28, INV-29: the access is over; its invitations' own events say what became of them. */
async function accessEnded(tx: SqlClient, accessId: string, status: 'revoked' | 'expired', at: string): Promise<void> {
  await tx.query(
    `UPDATE invitation_accesses SET status = $2, access_ended_at = $3 WHERE access_id = $1 AND status = 'active'`,
    [accessId, status, at],
  );
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

/**
 * Tables made by an older version lack a column the new one adds: add it with `alter` and empty the
 * read model, which the new version's checkpoint (a new name, position 0) rebuilds from the first
 * event. A table that has the column is left alone, so every start after the first changes nothing.
 * Replicas starting together take turns (an advisory lock), so a late one cannot empty what an
 * early one has started to rebuild.
 */
async function upgradeWhenMissing(sql: SqlClient, table: string, column: string, alter: string): Promise<void> {
  await sql.query(`
    DO $$ BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('invitation read model upgrade'));
      IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = current_schema() AND table_name = '${table}' AND column_name = '${column}') THEN
        ${alter};
        DELETE FROM invitation_invitations;
        DELETE FROM invitation_accesses;
        DELETE FROM invitation_account_names;
        DELETE FROM invitation_members;
      END IF;
    END $$`);
}

/** v3: who invited (INV-25) and how an accepted recipient's access ended (INV-24). */
const upgradeFromV2 = (sql: SqlClient) =>
  upgradeWhenMissing(
    sql,
    'invitation_invitations',
    'ended_at',
    `ALTER TABLE invitation_accesses ADD COLUMN IF NOT EXISTS inviter_email text;
     ALTER TABLE invitation_invitations ADD COLUMN IF NOT EXISTS accepted_by text,
       ADD COLUMN IF NOT EXISTS ended_at timestamptz, ADD COLUMN IF NOT EXISTS ended_reason text`,
  );

/** v4: an access's status and end date (INV-28, INV-29). */
const upgradeFromV3 = (sql: SqlClient) =>
  upgradeWhenMissing(
    sql,
    'invitation_accesses',
    'access_expires_at',
    `ALTER TABLE invitation_accesses ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active',
       ADD COLUMN IF NOT EXISTS access_expires_at timestamptz, ADD COLUMN IF NOT EXISTS access_ended_at timestamptz`,
  );

/** v5: the permissions and environment flag an access grants (INV-25, INV-26). */
const upgradeFromV4 = (sql: SqlClient) =>
  upgradeWhenMissing(
    sql,
    'invitation_accesses',
    'permissions',
    `ALTER TABLE invitation_accesses ADD COLUMN IF NOT EXISTS permissions jsonb NOT NULL DEFAULT '[]',
       ADD COLUMN IF NOT EXISTS may_create_environments boolean NOT NULL DEFAULT false`,
  );
