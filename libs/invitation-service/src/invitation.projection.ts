import { normalizeEmail, type AccessSharedData, type EventEnvelope, type InvitationAcceptedData } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import type { Projection } from '@accord/projections';

/** Read model of accesses and their invitations: the sharer's list and each recipient's inbox. */
export const invitationProjection: Projection = {
  name: 'invitation.accesses.v1',
  types: ['AccessShared', 'InvitationAccepted'],

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
        expires_at timestamptz NOT NULL
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
        accepted_by text
      )`);
    await sql.query(`CREATE INDEX IF NOT EXISTS invitation_invitations_email ON invitation_invitations (email_normalized)`);
  },

  async apply(tx: SqlClient, event: EventEnvelope) {
    switch (event.type) {
      case 'AccessShared': {
        const d = event.data as AccessSharedData;
        await tx.query(
          `INSERT INTO invitation_accesses (access_id, account_id, name, type, scope, role, message, shared_by, shared_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (access_id) DO NOTHING`,
          [d.accessId, d.accountId, d.name, d.type, JSON.stringify(d.scope), d.role, d.message, d.sharedBy, event.occurredAt, d.expiresAt],
        );
        for (const [position, r] of d.recipients.entries()) {
          await tx.query(
            `INSERT INTO invitation_invitations (invitation_id, access_id, account_id, email, email_normalized, position, status)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (invitation_id) DO NOTHING`,
            [r.invitationId, d.accessId, d.accountId, r.email, normalizeEmail(r.email), position],
          );
        }
        return;
      }
      case 'InvitationAccepted': {
        const d = event.data as InvitationAcceptedData;
        await tx.query(`UPDATE invitation_invitations SET status = 'accepted', accepted_by = $2 WHERE invitation_id = $1`, [
          d.invitationId,
          d.userId,
        ]);
        return;
      }
    }
  },

  async reset(tx: SqlClient) {
    await tx.query(`DELETE FROM invitation_invitations`);
    await tx.query(`DELETE FROM invitation_accesses`);
  },
};
