import { Inject, Injectable } from '@nestjs/common';
import {
  pageOf,
  type AccountView,
  type BillingAccountView,
  type CustomRoleView,
  type MemberView,
  type Page,
  type PageKeyKind,
  type PageRequest,
  type Scope,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT, instantKey } from '@accord/service-kit';

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

/** The sort keys of the membership lists, as `pageRequestOf` checks a payload's `after`. */
export const MEMBERSHIP_LIST_KEYS = {
  accounts: ['instant', 'uuid'],
  members: ['instant', 'string'],
  billingAccounts: ['instant', 'uuid'],
  customRoles: ['string'],
} as const satisfies Record<string, readonly PageKeyKind[]>;

/** The member list's filters (already checked). */
export interface MemberFilter {
  readonly role?: string;
  readonly q?: string;
}

/** Queries over the membership read model: lists and single resources. Callers wait for `minPosition` first. */
@Injectable()
export class MembershipQueries {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  // Every list is a keyset page over an immutable, unique sort key (a row's creation instant, then
  // its id): a page asks for the rows after the last key it showed, so a row written between two
  // fetches never shifts a later page. A row inserted before the cursor is not shown (it sorts
  // before), one inserted after it is; a row changed between pages is shown as it is when its
  // page is read; a row removed is simply not shown.

  /** "Shared with me" (MEM-19): the accounts the user belongs to, with their role there; oldest first. */
  async accountsOfUser(userId: string, page: PageRequest, onlyAccountId?: string): Promise<Page<AccountView>> {
    const [at, id] = page.after ?? [null, null];
    const { rows } = await this.sql.query<AccountRow & { k: string }>(
      `SELECT a.account_id, a.name, a.root_owner_id, m.role, m.scope, m.account_display_name, m.may_create_environments,
              o.email AS owner_email, ${instantKey('a.created_at')} AS k
         FROM membership_members m
         JOIN membership_accounts a USING (account_id)
         JOIN membership_members o ON o.account_id = a.account_id AND o.user_id = a.root_owner_id
        WHERE m.user_id = $1 AND a.closed_at IS NULL AND ($2::uuid IS NULL OR a.account_id = $2)
          AND ($3::timestamptz IS NULL OR (a.created_at, a.account_id) > ($3::timestamptz, $4::uuid))
        ORDER BY a.created_at, a.account_id LIMIT $5`,
      [userId, onlyAccountId ?? null, at, id, page.limit + 1],
    );
    return pageOf(
      rows,
      page.limit,
      (r) => [r.k, r.account_id],
      (r) => toAccountView(r, userId),
    );
  }

  /** The account's members in the order they joined, filtered by role and by e-mail or name prefix. */
  async membersOfAccount(accountId: string, page: PageRequest, filter: MemberFilter = {}): Promise<Page<MemberView>> {
    const [at, id] = page.after ?? [null, null];
    // starts_with, not LIKE: a `%` or `_` the caller types is a character to match, not a wildcard.
    const { rows } = await this.sql.query<MemberRow & { k: string }>(
      `SELECT m.*, a.root_owner_id, ${instantKey('m.joined_at')} AS k
         FROM membership_members m JOIN membership_accounts a USING (account_id)
        WHERE m.account_id = $1
          AND ($2::text IS NULL OR m.role = $2)
          AND ($3::text IS NULL OR starts_with(lower(m.email), lower($3))
               OR starts_with(lower(coalesce(m.display_name, '')), lower($3)))
          AND ($4::timestamptz IS NULL OR (m.joined_at, m.user_id) > ($4::timestamptz, $5::text))
        ORDER BY m.joined_at, m.user_id LIMIT $6`,
      [accountId, filter.role ?? null, filter.q ?? null, at, id, page.limit + 1],
    );
    return pageOf(rows, page.limit, (r) => [r.k, r.user_id], toMemberView);
  }

  async billingAccounts(accountId: string, page: PageRequest): Promise<Page<BillingAccountView>> {
    const [at, id] = page.after ?? [null, null];
    const { rows } = await this.sql.query<BillingAccountRow & { k: string }>(
      `SELECT billing_account_id, name, ${instantKey('created_at')} AS k FROM membership_billing_accounts
        WHERE account_id = $1 AND ($2::timestamptz IS NULL OR (created_at, billing_account_id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, billing_account_id LIMIT $4`,
      [accountId, at, id, page.limit + 1],
    );
    return pageOf(rows, page.limit, (r) => [r.k, r.billing_account_id], toBillingAccountView);
  }

  /** By name: a custom role's name is unique in its account and never changes. */
  async customRoles(accountId: string, page: PageRequest): Promise<Page<CustomRoleView>> {
    const [name] = page.after ?? [null];
    const { rows } = await this.sql.query<CustomRoleRow>(
      `SELECT name, permissions FROM membership_custom_roles
        WHERE account_id = $1 AND ($2::text IS NULL OR name > $2) ORDER BY name LIMIT $3`,
      [accountId, name, page.limit + 1],
    );
    return pageOf(rows, page.limit, (r) => [r.name], toCustomRoleView);
  }

  // One resource each, by primary key: the list's item, or null when the account has none such.

  /** One account of the user's list (MEM-19); null unless the user is a member of it; `closed` once closed (MEM-24). */
  async accountOfUser(accountId: string, userId: string): Promise<AccountView | 'closed' | null> {
    const { rows } = await this.sql.query<AccountRow & { closed_at: Date | string | null }>(
      `SELECT a.account_id, a.name, a.root_owner_id, m.role, m.scope, m.account_display_name, m.may_create_environments,
              o.email AS owner_email, a.closed_at
         FROM membership_members m
         JOIN membership_accounts a USING (account_id)
         JOIN membership_members o ON o.account_id = a.account_id AND o.user_id = a.root_owner_id
        WHERE m.account_id = $1 AND m.user_id = $2`,
      [accountId, userId],
    );
    // MEM-24: its member left (the root owner) learns it is closed; the list no longer shows it.
    if (rows[0]?.closed_at) return 'closed';
    return rows[0] ? toAccountView(rows[0], userId) : null;
  }

  /** One member of the account, as the member list shows them; null when not a member. */
  async member(accountId: string, userId: string): Promise<MemberView | null> {
    const { rows } = await this.sql.query<MemberRow>(
      `SELECT m.*, a.root_owner_id
         FROM membership_members m JOIN membership_accounts a USING (account_id)
        WHERE m.account_id = $1 AND m.user_id = $2`,
      [accountId, userId],
    );
    return rows[0] ? toMemberView(rows[0]) : null;
  }

  /** One billing account of the account; null when the account has no such one. */
  async billingAccount(accountId: string, billingAccountId: string): Promise<BillingAccountView | null> {
    const { rows } = await this.sql.query<BillingAccountRow>(
      `SELECT billing_account_id, name FROM membership_billing_accounts WHERE account_id = $1 AND billing_account_id = $2`,
      [accountId, billingAccountId],
    );
    return rows[0] ? toBillingAccountView(rows[0]) : null;
  }

  /** One custom role of the account by name; null when the account defined none such. */
  async customRole(accountId: string, name: string): Promise<CustomRoleView | null> {
    const { rows } = await this.sql.query<CustomRoleRow>(
      `SELECT name, permissions FROM membership_custom_roles WHERE account_id = $1 AND name = $2`,
      [accountId, name],
    );
    return rows[0] ? toCustomRoleView(rows[0]) : null;
  }
}

type AccountRow = MemberRow & { name: string; owner_email: string };
interface BillingAccountRow {
  billing_account_id: string;
  name: string;
}
interface CustomRoleRow {
  name: string;
  permissions: string[];
}

/** An account as `userId` sees it in "Shared with me" (MEM-19). */
function toAccountView(r: AccountRow, userId: string): AccountView {
  return {
    id: r.account_id,
    name: r.name,
    role: r.role,
    ownerEmail: r.owner_email,
    isRootOwner: r.root_owner_id === userId,
    displayName: r.account_display_name,
    // Owners may always create environments; others when allowed (MEM-17).
    mayCreateEnvironments: r.role === 'owner' || r.may_create_environments,
    scope: r.scope,
  };
}

/** A member as the member list shows them. */
function toMemberView(r: MemberRow): MemberView {
  return {
    userId: r.user_id,
    email: r.email,
    role: r.role,
    status: 'active',
    isRootOwner: r.user_id === r.root_owner_id,
    scope: r.scope,
    joinedAt: new Date(r.joined_at).toISOString(),
    displayName: r.display_name,
    permissions: r.permissions,
    mayCreateEnvironments: r.role === 'owner' || r.may_create_environments,
  };
}

function toBillingAccountView(r: BillingAccountRow): BillingAccountView {
  return { id: r.billing_account_id, name: r.name };
}

function toCustomRoleView(r: CustomRoleRow): CustomRoleView {
  return { name: r.name, permissions: r.permissions };
}
