import { Inject, Injectable } from '@nestjs/common';
import type { AccountView, AuthzCheckPayload, AuthzDecision, MemberView, Role, Scope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { roleAllows } from '@accord/permissions';
import { SQL_CLIENT } from '@accord/runtime';

interface MemberRow {
  user_id: string;
  email: string;
  role: Role;
  scope: Scope;
  joined_at: Date | string;
  root_owner_id: string;
}

/** Queries over the membership read model. Callers wait for `minPosition` before asking. */
@Injectable()
export class MembershipQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async accountsOfUser(userId: string): Promise<AccountView[]> {
    const { rows } = await this.sql.query<{ account_id: string; name: string; role: Role; root_owner_email: string; root_owner_id: string }>(
      `SELECT a.account_id, a.name, m.role, a.root_owner_email, a.root_owner_id
         FROM membership_members m JOIN membership_accounts a USING (account_id)
        WHERE m.user_id = $1 ORDER BY a.created_at, a.account_id`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.account_id,
      name: r.name,
      role: r.role,
      ownerEmail: r.root_owner_email,
      isRootOwner: r.root_owner_id === userId,
    }));
  }

  async membersOfAccount(accountId: string): Promise<MemberView[]> {
    const { rows } = await this.sql.query<MemberRow>(
      `SELECT m.user_id, m.email, m.role, m.scope, m.joined_at, a.root_owner_id
         FROM membership_members m JOIN membership_accounts a USING (account_id)
        WHERE m.account_id = $1 ORDER BY m.joined_at, m.user_id`,
      [accountId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      role: r.role,
      status: 'active' as const,
      isRootOwner: r.user_id === r.root_owner_id,
      scope: r.scope,
      joinedAt: new Date(r.joined_at).toISOString(),
    }));
  }

  /** May `userId` do `permission` on `accountId`? Non-members get no role (the edge answers 404). */
  async check(payload: AuthzCheckPayload): Promise<AuthzDecision> {
    const { rows } = await this.sql.query<{ role: Role }>(
      `SELECT role FROM membership_members WHERE account_id = $1 AND user_id = $2`,
      [payload.accountId, payload.userId],
    );
    const role = rows[0]?.role;
    if (!role) return { allowed: false, reason: 'not a member of this account' };
    return { ...roleAllows(role, payload.permission), role };
  }
}
