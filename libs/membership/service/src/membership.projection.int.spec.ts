import { randomUUID } from 'node:crypto';
import type { AccordEnvelope, MembershipEvent, Role, Scope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { createTestDatabase, createTestPglite } from '@accord/testing';
import fc from 'fast-check';
import { membershipProjection } from './membership.projection';

// `applyBatch` writes runs of joins (AccountCreated, MemberJoined) as one `unnest` INSERT per table
// and everything else through `apply`. Its contract (Projection.applyBatch): exactly the effect of
// `apply` on each event in order. Each case below replays the same events into two databases, one by
// one into the first and as one batch into the second, and compares every read-model table.

const ACCOUNT_A = '00000000-0000-4000-8000-00000000000a';
const ACCOUNT_B = '00000000-0000-4000-8000-00000000000b';
const BILLING_1 = '00000000-0000-4000-8000-0000000000b1';
const BILLING_2 = '00000000-0000-4000-8000-0000000000b2';

// Builders shaped like the bench's (tools/bench/src/suite/authz.section.ts), which a membership lib
// may not import (module boundaries): the event's type and data, made an envelope by `envelopes`.
const accountCreated = (accountId: string, name: string, ownerId: string): MembershipEvent => ({
  type: 'AccountCreated',
  data: { accountId, name, rootOwner: { userId: ownerId, email: `${ownerId}@x.io` } },
});
const memberJoined = (
  accountId: string,
  userId: string,
  role: Role = 'read-only',
  scope: Scope = { type: 'global' },
  email = `${userId}@x.io`,
): MembershipEvent => ({
  type: 'MemberJoined',
  data: { accountId, userId, email, role, scope, accessId: accountId, invitationId: randomUUID() },
});
const memberRemoved = (accountId: string, userId: string): MembershipEvent => ({
  type: 'MemberRemoved',
  data: { accountId, userId, email: `${userId}@x.io`, removedBy: 'auth0|root' },
});
const memberLeft = (accountId: string, userId: string): MembershipEvent => ({
  type: 'MemberLeft',
  data: { accountId, userId, email: `${userId}@x.io` },
});
const roleChanged = (accountId: string, userId: string, to: string): MembershipEvent => ({
  type: 'RoleChanged',
  data: { accountId, userId, email: `${userId}@x.io`, from: 'read-only', to, changedBy: 'auth0|root' },
});
const ownershipTransferred = (accountId: string, from: string, to: string): MembershipEvent => ({
  type: 'OwnershipTransferred',
  data: { accountId, from, to },
});
const billingAccountCreated = (accountId: string, billingAccountId: string, name: string): MembershipEvent => ({
  type: 'BillingAccountCreated',
  data: { accountId, billingAccountId, name, createdBy: 'auth0|root' },
});
const customRoleDefined = (accountId: string, name: string, permissions: string[]): MembershipEvent => ({
  type: 'CustomRoleDefined',
  data: { accountId, name, permissions, definedBy: 'auth0|root' } as never,
});
const memberChanged = (
  accountId: string,
  userId: string,
  change:
    | { type: 'MemberPermissionsChanged'; permissions: string[] }
    | { type: 'MemberScopeChanged'; scope: Scope }
    | { type: 'MemberDisplayNameChanged'; displayName: string | null }
    | { type: 'AccountDisplayNameChanged'; displayName: string | null }
    | { type: 'EnvironmentCreationChanged'; mayCreateEnvironments: boolean },
): MembershipEvent => {
  const { type, ...rest } = change;
  const changedBy = type === 'AccountDisplayNameChanged' ? {} : { changedBy: 'auth0|root' };
  return { type, data: { accountId, userId, ...rest, ...changedBy } } as never;
};

/** Stored envelopes of `events`, in order, each a second apart (so `joined_at` tells which one landed). */
const envelopes = (events: readonly MembershipEvent[]): AccordEnvelope[] =>
  events.map(
    (event, i) =>
      ({
        id: randomUUID(),
        type: event.type,
        schemaVersion: 1,
        streamId: `account-${event.data.accountId}`,
        streamPosition: i + 1,
        globalPosition: i + 1,
        occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        accountId: event.data.accountId,
        actor: { userId: 'auth0|root', via: 'session' },
        correlationId: randomUUID(),
        causationId: null,
        data: event.data,
      }) as AccordEnvelope,
  );

const TABLES = {
  membership_accounts: 'account_id',
  membership_members: 'account_id, user_id',
  membership_billing_accounts: 'billing_account_id',
  membership_custom_roles: 'account_id, name',
} as const;

/** Every read-model table, rows in key order. */
const dump = async (sql: SqlClient): Promise<Record<string, unknown[]>> => {
  const tables: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(TABLES))
    tables[table] = (await sql.query(`SELECT * FROM ${table} ORDER BY ${key}`)).rows;
  return tables;
};

/** Counts the statements a transaction runs (to tell one INSERT per run from one per event). */
const counting = (tx: SqlClient, statements: string[]): SqlClient => ({
  kind: tx.kind,
  query: (text, params) => {
    statements.push(text);
    return tx.query(text, params);
  },
  transaction: (work) => tx.transaction(work),
  close: () => tx.close(),
});

describe.each([
  [
    'PostgreSQL',
    async () => {
      const [one, batch] = await Promise.all([
        createTestDatabase('accord_membership_projection'),
        createTestDatabase('accord_membership_projection'),
      ]);
      return { one: one.sql, batch: batch.sql, teardown: () => Promise.all([one.drop(), batch.drop()]) };
    },
  ],
  [
    'PGlite',
    async () => {
      const [one, batch] = await Promise.all([createTestPglite(), createTestPglite()]);
      return { one, batch, teardown: () => Promise.all([one.close(), batch.close()]) };
    },
  ],
])('membershipProjection.applyBatch on %s', (_name, open) => {
  /** Receives the events one `apply` at a time. */
  let one: SqlClient;
  /** Receives them in one `applyBatch`. */
  let batch: SqlClient;
  let teardown: () => Promise<unknown>;

  beforeAll(async () => {
    ({ one, batch, teardown } = await open());
    await membershipProjection.setup(one);
    await membershipProjection.setup(batch);
  }, 30_000);
  afterAll(async () => {
    await teardown?.();
  });

  /** Replays `events` into both databases (emptied first); the tables of each, one by one first. */
  const replay = async (events: readonly MembershipEvent[], statements: string[] = []) => {
    const stored = envelopes(events);
    await one.transaction(async (tx) => {
      await membershipProjection.reset(tx);
      for (const event of stored) await membershipProjection.apply(tx, event);
    });
    await batch.transaction(async (tx) => {
      await membershipProjection.reset(tx);
      await membershipProjection.applyBatch!(counting(tx, statements), stored);
    });
    return [await dump(one), await dump(batch)] as const;
  };

  it('keeps the FIRST of duplicate joins of one member, in one run as across runs', async () => {
    const [oneByOne, batched] = await replay([
      accountCreated(ACCOUNT_A, 'Acme', 'auth0|root'),
      memberJoined(ACCOUNT_A, 'auth0|m1', 'accountant', { type: 'global' }, 'first@x.io'),
      memberJoined(ACCOUNT_A, 'auth0|m1', 'administrator', { type: 'global' }, 'second@x.io'),
      // The root owner joining again changes nothing either.
      memberJoined(ACCOUNT_A, 'auth0|root', 'read-only'),
      billingAccountCreated(ACCOUNT_A, BILLING_1, 'Main'),
      memberJoined(ACCOUNT_A, 'auth0|m1', 'read-only', { type: 'global' }, 'third@x.io'),
      // AccountCreated again for the same id (never stored, but apply ignores it): first wins too.
      accountCreated(ACCOUNT_A, 'Renamed', 'auth0|other'),
      accountCreated(ACCOUNT_B, 'Beta', 'auth0|m2'),
      accountCreated(ACCOUNT_B, 'Beta again', 'auth0|other'),
    ]);
    expect(batched).toEqual(oneByOne);
    expect(oneByOne['membership_accounts']).toMatchObject([
      { name: 'Acme', root_owner_id: 'auth0|root' },
      { name: 'Beta', root_owner_id: 'auth0|m2' },
    ]);
    expect(oneByOne['membership_members']).toMatchObject([
      { account_id: ACCOUNT_A, user_id: 'auth0|m1', email: 'first@x.io', role: 'accountant' },
      { account_id: ACCOUNT_A, user_id: 'auth0|other', role: 'owner' },
      { account_id: ACCOUNT_A, user_id: 'auth0|root', role: 'owner' },
      { account_id: ACCOUNT_B, user_id: 'auth0|m2', role: 'owner' },
      { account_id: ACCOUNT_B, user_id: 'auth0|other', role: 'owner' },
    ]);
  });

  it('applies a join, a removal and a re-join of one member inside one batch in order', async () => {
    const [oneByOne, batched] = await replay([
      accountCreated(ACCOUNT_A, 'Acme', 'auth0|root'),
      memberJoined(ACCOUNT_A, 'auth0|m1', 'accountant', { type: 'global' }, 'before@x.io'),
      memberJoined(ACCOUNT_A, 'auth0|m2', 'read-only'),
      memberRemoved(ACCOUNT_A, 'auth0|m1'),
      memberJoined(
        ACCOUNT_A,
        'auth0|m1',
        'administrator',
        { type: 'restricted', billingAccountId: BILLING_1 },
        'after@x.io',
      ),
      memberLeft(ACCOUNT_A, 'auth0|m2'),
      memberJoined(ACCOUNT_A, 'auth0|m2', 'accountant'),
      memberJoined(ACCOUNT_A, 'auth0|m2', 'administrator'),
    ]);
    expect(batched).toEqual(oneByOne);
    expect(oneByOne['membership_members']).toMatchObject([
      {
        user_id: 'auth0|m1',
        email: 'after@x.io',
        role: 'administrator',
        scope: { type: 'restricted', billingAccountId: BILLING_1 },
        joined_at: new Date(Date.UTC(2024, 0, 1) + 4 * 1000),
      },
      { user_id: 'auth0|m2', role: 'accountant' },
      { user_id: 'auth0|root', role: 'owner' },
    ]);
  });

  it('applies the changes that follow a run of joins to the rows that run wrote', async () => {
    const [oneByOne, batched] = await replay([
      accountCreated(ACCOUNT_A, 'Acme', 'auth0|root'),
      memberJoined(ACCOUNT_A, 'auth0|m1'),
      roleChanged(ACCOUNT_A, 'auth0|m1', 'accountant'),
      accountCreated(ACCOUNT_B, 'Beta', 'auth0|m1'),
      memberJoined(ACCOUNT_B, 'auth0|root', 'administrator'),
      ownershipTransferred(ACCOUNT_B, 'auth0|m1', 'auth0|root'),
      memberChanged(ACCOUNT_B, 'auth0|root', { type: 'MemberDisplayNameChanged', displayName: 'Root' }),
      memberChanged(ACCOUNT_B, 'auth0|root', { type: 'AccountDisplayNameChanged', displayName: 'Beta (mine)' }),
      memberChanged(ACCOUNT_A, 'auth0|m1', { type: 'EnvironmentCreationChanged', mayCreateEnvironments: true }),
      memberChanged(ACCOUNT_A, 'auth0|m1', { type: 'MemberPermissionsChanged', permissions: ['billing:read'] }),
      billingAccountCreated(ACCOUNT_B, BILLING_2, 'Side'),
      memberChanged(ACCOUNT_A, 'auth0|m1', {
        type: 'MemberScopeChanged',
        scope: { type: 'restricted', billingAccountId: BILLING_2 },
      }),
      customRoleDefined(ACCOUNT_A, 'auditor', ['billing:read']),
      customRoleDefined(ACCOUNT_A, 'auditor', ['billing:read', 'vps:read']),
    ]);
    expect(batched).toEqual(oneByOne);
    expect(oneByOne['membership_accounts']).toMatchObject([
      { account_id: ACCOUNT_A, root_owner_id: 'auth0|root' },
      { account_id: ACCOUNT_B, root_owner_id: 'auth0|root' },
    ]);
    expect(oneByOne['membership_custom_roles']).toMatchObject([{ permissions: ['billing:read', 'vps:read'] }]);
  });

  it('writes a run of joins as one INSERT per table', async () => {
    const statements: string[] = [];
    const joins: MembershipEvent[] = [accountCreated(ACCOUNT_A, 'Acme', 'auth0|root')];
    for (let m = 0; m < 40; m += 1) joins.push(memberJoined(ACCOUNT_A, `auth0|m${m}`));
    joins.push(accountCreated(ACCOUNT_B, 'Beta', 'auth0|m0'));
    for (let m = 0; m < 40; m += 1) joins.push(memberJoined(ACCOUNT_B, `auth0|m${m}`));
    const [oneByOne, batched] = await replay(
      [...joins, memberRemoved(ACCOUNT_A, 'auth0|m1'), memberJoined(ACCOUNT_A, 'auth0|m1', 'accountant')],
      statements,
    );
    expect(batched).toEqual(oneByOne);
    expect(oneByOne['membership_members']).toHaveLength(1 + 40 + 1 + 39);
    // Two for the run of 82 joins, one for the removal, one for the closing run of one join.
    expect(statements.map((text) => text.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'INSERT INTO membership_accounts',
      'INSERT INTO membership_members',
      'DELETE FROM membership_members',
      'INSERT INTO membership_members',
    ]);
  });

  it('has the effect of apply one by one on generated event sequences (property)', async () => {
    const accountId = fc.constantFrom(ACCOUNT_A, ACCOUNT_B);
    const userId = fc.constantFrom('auth0|root', 'auth0|m1', 'auth0|m2', 'google-oauth2|3');
    // Text a read model must store as given, including what array literals and JSON escape.
    const text = fc.constantFrom('Acme', 'NULL', 'a "quoted", {braced} name', 'back\\slash', 'Zürich €', ' ');
    const scope: fc.Arbitrary<Scope> = fc.oneof(
      fc.constant({ type: 'global' as const }),
      fc
        .constantFrom(BILLING_1, BILLING_2)
        .map((billingAccountId) => ({ type: 'restricted' as const, billingAccountId })),
    );
    const role = fc.constantFrom<Role>('owner', 'administrator', 'accountant', 'read-only');
    const permissions = fc.subarray(['billing:read', 'vps:read', 'users:manage']);
    const event: fc.Arbitrary<MembershipEvent> = fc.oneof(
      { arbitrary: fc.tuple(accountId, text, userId).map(([a, n, u]) => accountCreated(a, n, u)), weight: 2 },
      {
        arbitrary: fc
          .tuple(accountId, userId, role, scope, text)
          .map(([a, u, r, s, e]) => memberJoined(a, u, r, s, `${e}@x.io`)),
        weight: 6,
      },
      { arbitrary: fc.tuple(accountId, userId).map(([a, u]) => memberRemoved(a, u)), weight: 2 },
      { arbitrary: fc.tuple(accountId, userId).map(([a, u]) => memberLeft(a, u)), weight: 1 },
      {
        arbitrary: fc
          .tuple(accountId, userId, fc.constantFrom('accountant', 'auditor'))
          .map(([a, u, r]) => roleChanged(a, u, r)),
        weight: 1,
      },
      { arbitrary: fc.tuple(accountId, userId, userId).map(([a, f, t]) => ownershipTransferred(a, f, t)), weight: 1 },
      {
        arbitrary: fc
          .tuple(accountId, fc.constantFrom(BILLING_1, BILLING_2), text)
          .map(([a, b, n]) => billingAccountCreated(a, b, n)),
        weight: 1,
      },
      {
        arbitrary: fc
          .tuple(accountId, fc.constantFrom('auditor', 'ops'), permissions)
          .map(([a, n, p]) => customRoleDefined(a, n, p)),
        weight: 1,
      },
      {
        arbitrary: fc
          .tuple(
            accountId,
            userId,
            fc.oneof(
              permissions.map((p) => ({ type: 'MemberPermissionsChanged' as const, permissions: p })),
              scope.map((s) => ({ type: 'MemberScopeChanged' as const, scope: s })),
              fc.option(text).map((d) => ({ type: 'MemberDisplayNameChanged' as const, displayName: d })),
              fc.option(text).map((d) => ({ type: 'AccountDisplayNameChanged' as const, displayName: d })),
              fc.boolean().map((b) => ({ type: 'EnvironmentCreationChanged' as const, mayCreateEnvironments: b })),
            ),
          )
          .map(([a, u, change]) => memberChanged(a, u, change)),
        weight: 2,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40, size: 'max' }), async (events) => {
        const [oneByOne, batched] = await replay(events);
        expect(batched).toEqual(oneByOne);
      }),
      { seed: 20240101, numRuns: 40 },
    );
  });
});
