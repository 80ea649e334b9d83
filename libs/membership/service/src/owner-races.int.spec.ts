import { randomUUID } from 'node:crypto';
import { DomainError, streams, type CommandMetadata, type MemberJoinedData } from '@accord/contracts';
import { createEventStore, type EventStore } from '@accord/eventstore';
import { accountDecider, type AccountState } from '@accord/membership-domain';
import { createTestDatabase } from '@accord/testing';
import { MembershipCommands } from './membership.commands';

// Issue 4: the owner invariants under real concurrency, against the real PostgreSQL event store.
// Each race runs 100 times; every run must end in one of the allowed outcomes.
const RUNS = 100;

describe('owner invariants under concurrency (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: EventStore;
  let commands: MembershipCommands;

  beforeAll(async () => {
    db = await createTestDatabase('accord_races');
    store = await createEventStore(db.sql);
    commands = new MembershipCommands(store);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const as = (userId: string): CommandMetadata => ({
    actor: { userId, via: 'session' },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
  });

  /** An account whose root owner is `root`, with members joined at the given roles. */
  const account = async (root: string, members: Record<string, MemberJoinedData['role']>) => {
    const { id } = await commands.createAccount(
      { name: 'Race', owner: { userId: root, email: `${root}@example.com` } },
      as(root),
    );
    for (const [userId, role] of Object.entries(members)) {
      await commands.addMember(
        {
          accountId: id,
          userId,
          email: `${userId}@example.com`,
          role,
          scope: { type: 'global' },
          accessId: randomUUID(),
          invitationId: randomUUID(),
        },
        as(userId),
      );
    }
    return id;
  };

  const stateOf = async (accountId: string): Promise<Extract<AccountState, { status: 'active' }>> => {
    const events = await store.readStream(streams.account(accountId));
    const state = events
      .map((e) => ({ type: e.type, data: e.data }) as never)
      .reduce(accountDecider.evolve, accountDecider.initialState());
    if (state.status !== 'active') throw new Error('no account');
    return state;
  };

  /** Settles both; a refusal must be a rule of the domain, never a crash or a lost update. */
  const race = async (...attempts: Array<Promise<unknown>>) => {
    const results = await Promise.allSettled(attempts);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DomainError);
    return results.map((r) => r.status);
  };

  it(`"transfer ownership to X" racing "remove X": X is root and a member, or X is gone and the root unchanged (${RUNS} runs)`, async () => {
    const outcomes = { transferred: 0, removed: 0 };
    for (let run = 0; run < RUNS; run++) {
      const root = `root-${run}`;
      const accountId = await account(root, { x: 'administrator', olga: 'owner' });
      await race(
        commands.transferOwnership({ accountId, userId: 'x' }, as(root)),
        commands.removeMember({ accountId, userId: 'x' }, as('olga')),
      );
      const state = await stateOf(accountId);
      const ownerCount = [...state.members.values()].filter((m) => m.role === 'owner').length;
      expect(ownerCount).toBeGreaterThanOrEqual(1);
      expect(state.members.get(state.rootOwnerId)?.role).toBe('owner'); // the root is always a member and an owner
      if (state.rootOwnerId === 'x') {
        expect(state.members.get('x')).toBeDefined();
        outcomes.transferred++;
      } else {
        expect(state.rootOwnerId).toBe(root);
        expect(state.members.get('x')).toBeUndefined();
        outcomes.removed++;
      }
    }
    expect(outcomes.transferred + outcomes.removed).toBe(RUNS);
  }, 240_000);

  it(`two owners removing each other leave one (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const root = `root-${run}`;
      const accountId = await account(root, { olga: 'owner', oscar: 'owner' });
      const statuses = await race(
        commands.removeMember({ accountId, userId: 'oscar' }, as('olga')),
        commands.removeMember({ accountId, userId: 'olga' }, as('oscar')),
      );
      expect(statuses.filter((s) => s === 'fulfilled')).toHaveLength(1);
      const state = await stateOf(accountId);
      const survivors = ['olga', 'oscar'].filter((u) => state.members.get(u));
      expect(survivors).toHaveLength(1);
      expect(state.members.get(survivors[0]!)!.role).toBe('owner');
      expect(state.members.get(root)!.role).toBe('owner');
    }
  }, 240_000);

  it(`the root owner leaving or being removed never succeeds, even racing a transfer (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const root = `root-${run}`;
      const accountId = await account(root, { x: 'administrator', olga: 'owner' });
      await race(
        commands.leaveAccount({ accountId }, as(root)),
        commands.removeMember({ accountId, userId: root }, as('olga')),
        commands.transferOwnership({ accountId, userId: 'x' }, as(root)),
      );
      const state = await stateOf(accountId);
      expect(state.members.get(state.rootOwnerId)?.role).toBe('owner');
      expect([...state.members.values()].some((m) => m.role === 'owner')).toBe(true);
    }
  }, 240_000);
});
