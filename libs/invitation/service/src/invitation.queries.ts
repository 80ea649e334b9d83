import { Inject, Injectable } from '@nestjs/common';
import {
  normalizeEmail,
  type AccessView,
  type InvitationLinkView,
  type InvitationStatus,
  type MyInvitationView,
  type Role,
  type Scope,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';

interface AccessRow {
  access_id: string;
  account_id: string;
  name: string;
  type: AccessView['type'];
  scope: Scope;
  role: Role;
  message: string | null;
  shared_by: string;
  shared_at: Date | string;
}
interface InvitationRow {
  invitation_id: string;
  access_id: string;
  account_id: string;
  email: string;
  status: InvitationStatus;
  expires_at: Date | string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Queries over the invitation read model. Callers wait for `minPosition` before asking. */
@Injectable()
export class InvitationQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  /** The sharer's "Shared Accesses" list (INV-5), each recipient with its status. */
  async accessesOfAccount(accountId: string): Promise<AccessView[]> {
    const accesses = await this.sql.query<AccessRow>(
      `SELECT * FROM invitation_accesses WHERE account_id = $1 ORDER BY shared_at, access_id`,
      [accountId],
    );
    const invitations = await this.sql.query<InvitationRow>(
      `SELECT invitation_id, access_id, email, status, expires_at FROM invitation_invitations WHERE account_id = $1 ORDER BY position`,
      [accountId],
    );
    return accesses.rows.map((a) => {
      const recipients = invitations.rows.filter((i) => i.access_id === a.access_id);
      return {
        id: a.access_id,
        name: a.name,
        type: a.type,
        scope: a.scope,
        role: a.role,
        sharedBy: a.shared_by,
        sharedAt: iso(a.shared_at),
        expiresAt: iso(recipients[0]?.expires_at ?? a.shared_at),
        recipients: recipients.map((i) => ({
          email: i.email,
          invitationId: i.invitation_id,
          status: i.status,
          expiresAt: iso(i.expires_at),
        })),
      };
    });
  }

  /** Invitations addressed to an e-mail, for its (verified) owner. Never the access name. */
  async invitationsForEmail(email: string): Promise<MyInvitationView[]> {
    const { rows } = await this.sql.query<InvitationRow & AccessRow>(
      `SELECT i.invitation_id, i.status, i.expires_at, a.account_id, a.role, a.scope, a.message
         FROM invitation_invitations i JOIN invitation_accesses a USING (access_id)
        WHERE i.email_normalized = $1 ORDER BY a.shared_at DESC, i.invitation_id`,
      [normalizeEmail(email)],
    );
    return rows.map((r) => ({
      id: r.invitation_id,
      accountId: r.account_id,
      role: r.role,
      scope: r.scope,
      status: r.status,
      message: r.message,
      expiresAt: iso(r.expires_at),
    }));
  }

  /** Which account's stream holds an invitation (null when unknown). */
  async accountOfInvitation(invitationId: string): Promise<string | null> {
    const { rows } = await this.sql.query<{ account_id: string }>(
      `SELECT account_id FROM invitation_invitations WHERE invitation_id = $1`,
      [invitationId],
    );
    return rows[0]?.account_id ?? null;
  }

  /** The invitation whose current link has this token hash, with what its page shows. */
  async byTokenHash(tokenHash: string): Promise<(InvitationLinkView & { status: InvitationStatus }) | null> {
    const { rows } = await this.sql.query<
      InvitationRow & AccessRow & { account_name: string | null; inviter_email: string | null }
    >(
      `SELECT i.invitation_id, i.account_id, i.status, i.expires_at, a.role, a.scope, a.message,
              n.name AS account_name, m.email AS inviter_email
         FROM invitation_invitations i
         JOIN invitation_accesses a USING (access_id)
         LEFT JOIN invitation_account_names n ON n.account_id = i.account_id
         LEFT JOIN invitation_members m ON m.account_id = i.account_id AND m.user_id = i.shared_by
        WHERE i.token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      invitationId: r.invitation_id,
      accountId: r.account_id,
      accountName: r.account_name ?? '',
      inviterEmail: r.inviter_email,
      role: r.role,
      scope: r.scope,
      message: r.message,
      expiresAt: iso(r.expires_at),
      status: r.status,
    };
  }

  /** E-mails of the account's current members (inviting one is refused). */
  async memberEmails(accountId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ email: string }>(
      `SELECT email FROM invitation_members WHERE account_id = $1`,
      [accountId],
    );
    return rows.map((r) => r.email);
  }

  /** Pending invitations whose expiry has passed, oldest first (the scheduler's work list). */
  async dueForExpiry(now: string, limit: number): Promise<Array<{ accountId: string; invitationId: string }>> {
    const { rows } = await this.sql.query<{ account_id: string; invitation_id: string }>(
      `SELECT account_id, invitation_id FROM invitation_invitations
        WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ accountId: r.account_id, invitationId: r.invitation_id }));
  }
}
