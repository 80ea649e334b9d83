import { Inject, Injectable } from '@nestjs/common';
import type { AccountView, BillingAccountView, CustomRoleView, MemberView, Scope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';

interface MemberRow {
  account_id: string;
  user_id: string;
  email: string;
  role: string;
  permissions: string[];
  scope: Scope;
  display_name: string | null;
  account_display_name: string | null;
  may_create_environments: boolean;
  joined_at: Date | string;
  root_owner_id: string;
}

/** List queries over the membership read model. Callers wait for `minPosition` before asking. */
@Injectable()
export class MembershipQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  /** "Shared with me" (MEM-19): every account the user belongs to, with their role there. */
  async accountsOfUser(userId: string): Promise<AccountView[]> {
    const { rows } = await this.sql.query<MemberRow & { name: string; owner_email: string }>(
      `SELECT a.account_id, a.name, a.root_owner_id, m.role, m.scope, m.account_display_name, m.may_create_environments,
              o.email AS owner_email
         FROM membership_members m
         JOIN membership_accounts a USING (account_id)
         JOIN membership_members o ON o.account_id = a.account_id AND o.user_id = a.root_owner_id
        WHERE m.user_id = $1 ORDER BY a.created_at, a.account_id`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.account_id,
      name: r.name,
      role: r.role,
      ownerEmail: r.owner_email,
      isRootOwner: r.root_owner_id === userId,
      displayName: r.account_display_name,
      // Owners may always create environments; others when allowed (MEM-17).
      mayCreateEnvironments: r.role === 'owner' || r.may_create_environments,
      scope: r.scope,
    }));
  }

  async membersOfAccount(accountId: string): Promise<MemberView[]> {
    const { rows } = await this.sql.query<MemberRow>(
      `SELECT m.*, a.root_owner_id
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
      displayName: r.display_name,
      permissions: r.permissions,
      mayCreateEnvironments: r.role === 'owner' || r.may_create_environments,
    }));
  }

  async billingAccounts(accountId: string): Promise<BillingAccountView[]> {
    const { rows } = await this.sql.query<{ billing_account_id: string; name: string }>(
      `SELECT billing_account_id, name FROM membership_billing_accounts WHERE account_id = $1 ORDER BY created_at, billing_account_id`,
      [accountId],
    );
    return rows.map((r) => ({ id: r.billing_account_id, name: r.name }));
  }

  async customRoles(accountId: string): Promise<CustomRoleView[]> {
    const { rows } = await this.sql.query<{ name: string; permissions: string[] }>(
      `SELECT name, permissions FROM membership_custom_roles WHERE account_id = $1 ORDER BY name`,
      [accountId],
    );
    return rows.map((r) => ({ name: r.name, permissions: r.permissions }));
  }
}
