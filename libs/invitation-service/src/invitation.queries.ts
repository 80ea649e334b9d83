import { Inject, Injectable } from '@nestjs/common';
import { normalizeEmail, type AccessView, type InvitationStatus, type MyInvitationView, type Role, type Scope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/runtime';

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
  expires_at: Date | string;
}
interface InvitationRow {
  invitation_id: string;
  access_id: string;
  email: string;
  status: InvitationStatus;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Queries over the invitation read model. Callers wait for `minPosition` before asking. */
@Injectable()
export class InvitationQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  /** The sharer's "Shared Accesses" list (seed 000), each recipient with its status. */
  async accessesOfAccount(accountId: string): Promise<AccessView[]> {
    const accesses = await this.sql.query<AccessRow>(
      `SELECT * FROM invitation_accesses WHERE account_id = $1 ORDER BY shared_at, access_id`,
      [accountId],
    );
    const invitations = await this.sql.query<InvitationRow>(
      `SELECT invitation_id, access_id, email, status FROM invitation_invitations WHERE account_id = $1 ORDER BY position`,
      [accountId],
    );
    return accesses.rows.map((a) => ({
      id: a.access_id,
      name: a.name,
      type: a.type,
      scope: a.scope,
      role: a.role,
      sharedBy: a.shared_by,
      sharedAt: iso(a.shared_at),
      expiresAt: iso(a.expires_at),
      recipients: invitations.rows
        .filter((i) => i.access_id === a.access_id)
        .map((i) => ({ email: i.email, invitationId: i.invitation_id, status: i.status })),
    }));
  }

  /** Invitations addressed to an e-mail, for its (verified) owner. Never the access name. */
  async invitationsForEmail(email: string): Promise<MyInvitationView[]> {
    const { rows } = await this.sql.query<InvitationRow & AccessRow>(
      `SELECT i.invitation_id, i.status, a.account_id, a.role, a.scope, a.message, a.expires_at
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

  /** Which access stream holds an invitation (null when unknown). */
  async accessOfInvitation(invitationId: string): Promise<string | null> {
    const { rows } = await this.sql.query<{ access_id: string }>(
      `SELECT access_id FROM invitation_invitations WHERE invitation_id = $1`,
      [invitationId],
    );
    return rows[0]?.access_id ?? null;
  }
}
