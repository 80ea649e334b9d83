import type { AccordEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { ACCOUNT_EVENT_TYPES } from '@accord/membership-domain';
import type { Projection } from '@accord/projections';

/** Read model of accounts and members for lists ("Shared with me", members, billing accounts). */
export const membershipProjection: Projection = {
  name: 'membership.members.v2',
  types: ACCOUNT_EVENT_TYPES,

  async setup(sql: SqlClient) {
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_accounts (
        account_id uuid PRIMARY KEY,
        name text NOT NULL,
        root_owner_id text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_members (
        account_id uuid NOT NULL,
        user_id text NOT NULL,
        email text NOT NULL,
        role text NOT NULL,
        permissions jsonb NOT NULL DEFAULT '[]',
        scope jsonb NOT NULL,
        display_name text,
        account_display_name text,
        may_create_environments boolean NOT NULL DEFAULT false,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, user_id)
      )`);
    // MEM-24: set when the account is closed (a column added after the table, hence its own statement).
    await sql.query(`ALTER TABLE membership_accounts ADD COLUMN IF NOT EXISTS closed_at timestamptz`);
    await sql.query(`CREATE INDEX IF NOT EXISTS membership_members_user ON membership_members (user_id)`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_billing_accounts (
        billing_account_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await sql.query(`
      CREATE TABLE IF NOT EXISTS membership_custom_roles (
        account_id uuid NOT NULL,
        name text NOT NULL,
        permissions jsonb NOT NULL,
        PRIMARY KEY (account_id, name)
      )`);
  },

  async apply(tx: SqlClient, event: AccordEnvelope) {
    const join = new JoinRun();
    if (join.add(event)) return join.flush(tx);
    const at = event.occurredAt;
    switch (event.type) {
      case 'MemberRemoved':
      case 'MemberLeft': {
        const d = event.data;
        await tx.query(`DELETE FROM membership_members WHERE account_id = $1 AND user_id = $2`, [
          d.accountId,
          d.userId,
        ]);
        return;
      }
      case 'RoleChanged': {
        const d = event.data;
        return setMember(tx, d, 'role', d.to);
      }
      case 'MemberPermissionsChanged': {
        const d = event.data;
        return setMember(tx, d, 'permissions', JSON.stringify(d.permissions));
      }
      case 'MemberScopeChanged': {
        const d = event.data;
        return setMember(tx, d, 'scope', JSON.stringify(d.scope));
      }
      case 'MemberDisplayNameChanged': {
        const d = event.data;
        return setMember(tx, d, 'display_name', d.displayName);
      }
      case 'AccountDisplayNameChanged': {
        const d = event.data;
        return setMember(tx, d, 'account_display_name', d.displayName);
      }
      case 'EnvironmentCreationChanged': {
        const d = event.data;
        return setMember(tx, d, 'may_create_environments', d.mayCreateEnvironments);
      }
      case 'OwnershipTransferred': {
        const d = event.data;
        await tx.query(`UPDATE membership_accounts SET root_owner_id = $2 WHERE account_id = $1`, [d.accountId, d.to]);
        return;
      }
      case 'BillingAccountCreated': {
        const d = event.data;
        await tx.query(
          `INSERT INTO membership_billing_accounts (billing_account_id, account_id, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [d.billingAccountId, d.accountId, d.name, at],
        );
        return;
      }
      case 'CustomRoleDefined': {
        const d = event.data;
        await tx.query(
          `INSERT INTO membership_custom_roles (account_id, name, permissions) VALUES ($1, $2, $3)
           ON CONFLICT (account_id, name) DO UPDATE SET permissions = EXCLUDED.permissions`,
          [d.accountId, d.name, JSON.stringify(d.permissions)],
        );
        return;
      }
      case 'AccountRenamed': {
        const d = event.data;
        await tx.query(`UPDATE membership_accounts SET name = $2 WHERE account_id = $1`, [d.accountId, d.name]);
        return;
      }
      case 'AccountClosed': {
        const d = event.data;
        await tx.query(`UPDATE membership_accounts SET closed_at = $2 WHERE account_id = $1`, [d.accountId, at]);
        return;
      }
      case 'BillingAccountRenamed': {
        const d = event.data;
        await tx.query(
          `UPDATE membership_billing_accounts SET name = $3 WHERE account_id = $1 AND billing_account_id = $2`,
          [d.accountId, d.billingAccountId, d.name],
        );
        return;
      }
      case 'BillingAccountDeleted': {
        const d = event.data;
        await tx.query(`DELETE FROM membership_billing_accounts WHERE account_id = $1 AND billing_account_id = $2`, [
          d.accountId,
          d.billingAccountId,
        ]);
        return;
      }
      case 'CustomRoleDeleted': {
        const d = event.data;
        await tx.query(`DELETE FROM membership_custom_roles WHERE account_id = $1 AND name = $2`, [
          d.accountId,
          d.name,
        ]);
        return;
      }
    }
  },

  /** Joins (accounts created, members joined) in runs of one statement each; the rest one by one. */
  async applyBatch(tx: SqlClient, events: readonly AccordEnvelope[]) {
    const joins = new JoinRun();
    for (const event of events) {
      if (joins.add(event)) continue;
      // Order matters from here on (a removal after a join): write the run first.
      await joins.flush(tx);
      await this.apply(tx, event);
    }
    await joins.flush(tx);
  },

  async reset(tx: SqlClient) {
    for (const table of [
      'membership_members',
      'membership_accounts',
      'membership_billing_accounts',
      'membership_custom_roles',
    ]) {
      await tx.query(`DELETE FROM ${table}`);
    }
  },
};

/**
 * account, user, e-mail, role, scope, joined at, permissions (JSON), may create environments
 * ('true'/'false': every column is text, cast in SQL, as PGlite types parameters by their declaration).
 */
type MemberRow = [string, string, string, string, string, string, string, string];

/**
 * Consecutive joins, written as one INSERT per table. ON CONFLICT DO NOTHING keeps the first row of
 * a key, within the statement as across statements: the same outcome as inserting one by one.
 */
class JoinRun {
  private accounts: Array<[string, string, string, string]> = [];
  private members: MemberRow[] = [];

  /** Takes `event` into the run when it is a join; false for any other event. */
  add(event: AccordEnvelope): boolean {
    const at = event.occurredAt;
    if (event.type === 'AccountCreated') {
      const { accountId, name, rootOwner } = event.data;
      this.accounts.push([accountId, name, rootOwner.userId, at]);
      this.members.push([
        accountId,
        rootOwner.userId,
        rootOwner.email,
        'owner',
        JSON.stringify({ type: 'global' }),
        at,
        '[]',
        'false',
      ]);
      return true;
    }
    if (event.type === 'MemberJoined') {
      const d = event.data;
      // INV-26, AUTHZ-16: a member joins with what the access granted (absent on older events).
      this.members.push([
        d.accountId,
        d.userId,
        d.email,
        d.role,
        JSON.stringify(d.scope),
        at,
        JSON.stringify(d.permissions ?? []),
        String(d.mayCreateEnvironments === true),
      ]);
      return true;
    }
    return false;
  }

  async flush(tx: SqlClient): Promise<void> {
    if (this.accounts.length > 0)
      await tx.query(
        `INSERT INTO membership_accounts (account_id, name, root_owner_id, created_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
        columns(this.accounts, 4),
      );
    if (this.members.length > 0)
      await tx.query(
        `INSERT INTO membership_members (account_id, user_id, email, role, scope, joined_at, permissions, may_create_environments)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::jsonb[], $8::text[]::boolean[])
         ON CONFLICT (account_id, user_id) DO NOTHING`,
        columns(this.members, 8),
      );
    this.accounts = [];
    this.members = [];
  }
}

/** Rows to one array per column, the parameters of an `unnest` insert. */
function columns(rows: ReadonlyArray<readonly string[]>, width: number): string[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]!));
}

/** One column of one member; the column name is from the fixed list above, never from input. */
async function setMember(
  tx: SqlClient,
  ref: { accountId: string; userId: string },
  column: string,
  value: unknown,
): Promise<void> {
  await tx.query(`UPDATE membership_members SET ${column} = $3 WHERE account_id = $1 AND user_id = $2`, [
    ref.accountId,
    ref.userId,
    value,
  ]);
}
