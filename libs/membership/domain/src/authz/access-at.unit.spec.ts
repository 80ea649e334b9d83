import fc from 'fast-check';
import {
  DomainError,
  type AccessAtAnswer,
  type AccordEnvelope,
  type Actor,
  type MembershipEvent,
  type Scope,
} from '@accord/contracts';
import {
  decideAccount,
  evolveAccount,
  initialAccountState,
  type AccountCommand,
  type AccountState,
  type MemberChanges,
} from '../account';
import { accessAt, type AccessAtQuery } from './access-at';
import { NOT_A_MEMBER, evaluateMember } from './evaluate-member';

// Issue 11, "who could do X at time T": given an account's stream (built through the decider, so
// every event is one the service could have stored), when asked about a user, a permission and an
// instant, then the live check's answer for the account as it stood then, naming the events.

const ACCOUNT = '6f1c7a52-0c8e-4a4e-9a57-1f0b7f0f0a01';
const B1 = '7a2d1b63-1d9f-4b5f-8b68-2a1c8a1a1b02';
const B2 = '8b3e2c74-2ea0-4c60-9c79-3b2d9b2b2c03';
const ROOT = 'auth0|root';
const MIKE = 'auth0|mike';
const NINA = 'auth0|nina';

/** Minute `m` of 2030-01-01 (UTC): stories tell their events minute by minute. */
const t = (m: number, extraMs = 0): string => new Date(Date.UTC(2030, 0, 1, 0, m) + extraMs).toISOString();

/** An account's stream told command by command: decided on the current state, stamped with a time. */
class Story {
  readonly events: AccordEnvelope[] = [];
  private state: AccountState = initialAccountState();

  /** Decides `command` at minute `m` on behalf of `actor`; returns the envelopes appended. */
  at(m: number, command: AccountCommand, actor: Actor = { userId: ROOT, via: 'session' }): AccordEnvelope[] {
    return this.stamped(decideAccount(command, this.state), t(m), actor);
  }

  stamped(events: readonly MembershipEvent[], occurredAt: string, actor: Actor): AccordEnvelope[] {
    const added = events.map((event) => {
      const streamPosition = this.events.length + 1;
      const envelope = {
        id: `e${streamPosition}-${event.type}`,
        type: event.type,
        schemaVersion: 1,
        streamId: `account-${ACCOUNT}`,
        streamPosition,
        globalPosition: streamPosition * 10,
        occurredAt,
        accountId: ACCOUNT,
        actor,
        correlationId: `c${streamPosition}`,
        causationId: null,
        data: event.data,
      } as AccordEnvelope;
      this.state = evolveAccount(this.state, event);
      this.events.push(envelope);
      return envelope;
    });
    return added;
  }
}

const created = (story: Story) =>
  story.at(1, {
    type: 'CreateAccount',
    data: { accountId: ACCOUNT, name: 'Acme', rootOwner: { userId: ROOT, email: 'olivia@example.com' } },
  })[0];
const join = (story: Story, m: number, userId: string, role: 'administrator' | 'accountant' | 'owner', scope?: Scope) =>
  story.at(
    m,
    {
      type: 'AddMember',
      data: {
        accountId: ACCOUNT,
        userId,
        email: `${userId.slice(6)}@example.com`,
        role,
        scope: scope ?? { type: 'global' },
        accessId: '9c4f3d85-3fb1-4d71-8d8a-4c3eac3c3d04',
        invitationId: 'ad5a4e96-40c2-4e82-9e9b-5d4fbd4d4e05',
      },
    },
    { userId, via: 'system' },
  )[0];
const change = (story: Story, m: number, userId: string, changes: MemberChanges) =>
  story.at(m, { type: 'ChangeMember', data: { userId, by: ROOT, changes } });
const billingAccount = (story: Story, m: number, billingAccountId: string) =>
  story.at(m, { type: 'CreateBillingAccount', data: { billingAccountId, name: billingAccountId, by: ROOT } });

/** given the story, when asked, then this answer (grants compared by event and fact). */
const given = (story: Story) => ({
  when: (query: Partial<AccessAtQuery> & { at: string }) => {
    const answer = accessAt(story.events, { userId: MIKE, permission: 'billing:manage', ...query });
    return {
      answer,
      then: (expected: Omit<AccessAtAnswer, 'grants' | 'at'> & { grants: [AccordEnvelope, string][] }) =>
        expect({ ...answer, at: undefined }).toEqual({
          ...expected,
          at: undefined,
          grants: expected.grants.map(([event, what]) => ({
            eventId: event.id,
            type: event.type,
            occurredAt: event.occurredAt,
            actor: event.actor,
            what,
          })),
        }),
    };
  },
});

const GLOBAL: Scope = { type: 'global' };
const notAMember = { allowed: false, reason: NOT_A_MEMBER, role: null, scope: null };

describe('accessAt: who could do what, when', () => {
  describe('a member who joined, changed role and was removed', () => {
    const story = new Story();
    const accountCreated = created(story);
    const joined = join(story, 10, MIKE, 'accountant');
    const [roleChanged] = change(story, 20, MIKE, { role: 'administrator' });
    const [removed] = story.at(30, { type: 'RemoveMember', data: { userId: MIKE, by: ROOT } });

    it('before the grant: denied, never a member, no grants', () => {
      given(story)
        .when({ at: t(5) })
        .then({ ...notAMember, grants: [] });
    });

    it('during it: allowed through the role the join gave, naming the join', () => {
      given(story)
        .when({ at: t(15) })
        .then({
          allowed: true,
          reason: 'role accountant',
          role: 'accountant',
          scope: GLOBAL,
          grants: [[joined, 'role accountant']],
        });
      given(story)
        .when({ at: t(15), permission: 'vps:manage' })
        .then({ allowed: false, reason: 'no vps:manage', role: 'accountant', scope: GLOBAL, grants: [] });
    });

    it('after a role change: the answer follows the new role, naming the RoleChanged and its actor', () => {
      const { answer } = given(story).when({ at: t(25), permission: 'vps:manage' });
      expect(answer).toMatchObject({ allowed: true, reason: 'role administrator', role: 'administrator' });
      expect(answer.grants).toEqual([
        {
          eventId: roleChanged.id,
          type: 'RoleChanged',
          occurredAt: t(20),
          actor: { userId: ROOT, via: 'session' },
          what: 'role administrator',
        },
      ]);
      given(story)
        .when({ at: t(15), permission: 'project:manage' })
        .then({ allowed: false, reason: 'no project:manage', role: 'accountant', scope: GLOBAL, grants: [] });
      given(story)
        .when({ at: t(25), permission: 'project:manage' })
        .then({
          allowed: true,
          reason: 'role administrator',
          role: 'administrator',
          scope: GLOBAL,
          grants: [[roleChanged, 'role administrator']],
        });
    });

    it('after removal: denied, naming the MemberRemoved', () => {
      given(story)
        .when({ at: t(35), permission: 'vps:manage' })
        .then({ ...notAMember, grants: [[removed, 'removed from the account']] });
    });

    it('counts an event at exactly `at` (inclusive), and not a millisecond before it', () => {
      given(story)
        .when({ at: t(10) })
        .then({
          allowed: true,
          reason: 'role accountant',
          role: 'accountant',
          scope: GLOBAL,
          grants: [[joined, 'role accountant']],
        });
      given(story)
        .when({ at: t(10, -1) })
        .then({ ...notAMember, grants: [] });
      given(story)
        .when({ at: t(30) })
        .then({ ...notAMember, grants: [[removed, 'removed from the account']] });
    });

    it('compares instants, not strings: an offset names the same instant', () => {
      const { answer } = given(story).when({ at: '2030-01-01T02:15:00+02:00' });
      expect(answer).toMatchObject({ allowed: true, reason: 'role accountant', at: t(15) });
    });

    it('the root owner: allowed as root owner through the account’s creation', () => {
      given(story)
        .when({ at: t(1), userId: ROOT, permission: 'users:manage' })
        .then({
          allowed: true,
          reason: 'root owner',
          role: 'owner',
          scope: GLOBAL,
          grants: [[accountCreated, 'owner, created the account']],
        });
    });

    it('an account not created yet at `at`: not a member', () => {
      given(story)
        .when({ at: t(0), userId: ROOT })
        .then({ ...notAMember, grants: [] });
      expect(accessAt([], { userId: ROOT, permission: 'users:read', at: t(0) })).toMatchObject(notAMember);
    });

    it('a section available to every member rests on the membership', () => {
      given(story)
        .when({ at: t(15), permission: 'api:manage' })
        .then({
          allowed: true,
          reason: 'api is available to every member',
          role: 'accountant',
          scope: GLOBAL,
          grants: [[joined, 'member']],
        });
    });
  });

  it('after leaving: denied, naming the MemberLeft; a user who rejoins is named by the new join', () => {
    const story = new Story();
    created(story);
    join(story, 10, MIKE, 'administrator');
    const [left] = story.at(20, { type: 'LeaveAccount', data: { userId: MIKE } }, { userId: MIKE, via: 'session' });
    const rejoined = join(story, 30, MIKE, 'accountant');
    given(story)
      .when({ at: t(25), permission: 'vps:manage' })
      .then({ ...notAMember, grants: [[left, 'left the account']] });
    given(story)
      .when({ at: t(35) })
      .then({
        allowed: true,
        reason: 'role accountant',
        role: 'accountant',
        scope: GLOBAL,
        grants: [[rejoined, 'role accountant']],
      });
  });

  it('a custom role: names the role change and the definition in force at `at`', () => {
    const story = new Story();
    created(story);
    join(story, 10, MIKE, 'administrator');
    const [defined] = story.at(11, {
      type: 'DefineCustomRole',
      data: { name: 'analyst', permissions: ['domains:read'], by: ROOT },
    });
    const [roleChanged] = change(story, 12, MIKE, { role: 'analyst' });
    const [redefined] = story.at(20, {
      type: 'DefineCustomRole',
      data: { name: 'analyst', permissions: ['domains:read', 'databases:read'], by: ROOT },
    });
    const analyst = { allowed: true, reason: 'granted permission', role: 'analyst', scope: GLOBAL };
    given(story)
      .when({ at: t(15), permission: 'domains:read' })
      .then({
        ...analyst,
        grants: [
          [roleChanged, 'role analyst'],
          [defined, 'custom role analyst defined'],
        ],
      });
    given(story)
      .when({ at: t(15), permission: 'databases:read' })
      .then({ allowed: false, reason: 'no databases:read', role: 'analyst', scope: GLOBAL, grants: [] });
    given(story)
      .when({ at: t(25), permission: 'databases:read' })
      .then({
        ...analyst,
        grants: [
          [roleChanged, 'role analyst'],
          [redefined, 'custom role analyst defined'],
        ],
      });
  });

  it('granted permissions: names the MemberPermissionsChanged that granted them', () => {
    const story = new Story();
    created(story);
    join(story, 10, MIKE, 'accountant');
    const [granted] = change(story, 20, MIKE, { permissions: ['domains:read'] });
    given(story)
      .when({ at: t(15), permission: 'domains:read' })
      .then({ allowed: false, reason: 'no domains:read', role: 'accountant', scope: GLOBAL, grants: [] });
    given(story)
      .when({ at: t(25), permission: 'domains:read' })
      .then({
        allowed: true,
        reason: 'granted permission',
        role: 'accountant',
        scope: GLOBAL,
        grants: [[granted, 'permissions']],
      });
  });

  describe('a member restricted to one billing account', () => {
    const story = new Story();
    created(story);
    billingAccount(story, 2, B1);
    billingAccount(story, 3, B2);
    const restricted: Scope = { type: 'restricted', billingAccountId: B1 };
    const joined = join(story, 10, MIKE, 'administrator', restricted);
    const [widened] = change(story, 20, MIKE, { scope: { type: 'global' } });
    const admin = { role: 'administrator', scope: restricted };

    it('holds a billing-account permission in a check naming their billing account', () => {
      given(story)
        .when({ at: t(15), permission: 'vps:manage', billingAccountId: B1 })
        .then({ allowed: true, reason: 'role administrator', ...admin, grants: [[joined, 'role administrator']] });
    });

    it('is denied without a billing account, or in another one, naming the scope', () => {
      const scopeEvidence: [AccordEnvelope, string] = [joined, `scope restricted to billing account ${B1}`];
      given(story)
        .when({ at: t(15), permission: 'vps:manage' })
        .then({ allowed: false, reason: 'scope.billing_account_required', ...admin, grants: [scopeEvidence] });
      given(story)
        .when({ at: t(15), permission: 'vps:manage', billingAccountId: B2 })
        .then({ allowed: false, reason: 'restricted to another billing account', ...admin, grants: [scopeEvidence] });
    });

    it('once made global, holds it anywhere', () => {
      given(story)
        .when({ at: t(25), permission: 'vps:manage', billingAccountId: B2 })
        .then({
          allowed: true,
          reason: 'role administrator',
          role: 'administrator',
          scope: GLOBAL,
          grants: [[joined, 'role administrator']],
        });
      expect(widened.type).toBe('MemberScopeChanged');
    });
  });

  it('ownership transfer: the new root owner through the role change and the transfer; the old root stays owner', () => {
    const story = new Story();
    const accountCreated = created(story);
    join(story, 10, MIKE, 'administrator');
    const [roleChanged, transferred] = story.at(20, { type: 'TransferOwnership', data: { to: MIKE, by: ROOT } });
    expect([roleChanged.type, transferred.type]).toEqual(['RoleChanged', 'OwnershipTransferred']);
    given(story)
      .when({ at: t(25), permission: 'users:manage' })
      .then({
        allowed: true,
        reason: 'root owner',
        role: 'owner',
        scope: GLOBAL,
        grants: [
          [roleChanged, 'role owner'],
          [transferred, 'owner by transfer'],
        ],
      });
    given(story)
      .when({ at: t(25), userId: ROOT, permission: 'users:manage' })
      .then({ allowed: true, reason: 'owner', role: 'owner', scope: GLOBAL, grants: [[accountCreated, 'role owner']] });
    given(story)
      .when({ at: t(15), permission: 'users:manage' })
      .then({
        allowed: false,
        reason: 'users is available to account owners only',
        role: 'administrator',
        scope: GLOBAL,
        grants: [],
      });
  });

  it('reads the longest prefix of the stream dated at or before `at`: a state that existed', () => {
    const story = new Story();
    created(story);
    // A skewed clock: the removal is dated before the join it follows in the stream.
    const joined = join(story, 20, MIKE, 'accountant');
    story.stamped(
      [
        {
          type: 'MemberRemoved',
          data: { accountId: ACCOUNT, userId: MIKE, email: 'mike@example.com', removedBy: ROOT },
        },
      ],
      t(10),
      { userId: ROOT, via: 'session' },
    );
    given(story)
      .when({ at: t(15) })
      .then({ ...notAMember, grants: [] });
    expect(joined.type).toBe('MemberJoined');
  });

  it('carries the actor’s token and impersonator, and nothing else of it', () => {
    const story = new Story();
    created(story);
    join(story, 10, MIKE, 'accountant');
    const actor = { userId: ROOT, via: 'api_token', tokenId: 'tok-1', extra: 'x' } as Actor;
    const [roleChanged] = story.stamped(
      decideAccount(
        { type: 'ChangeMember', data: { userId: MIKE, by: ROOT, changes: { role: 'administrator' } } },
        replay(story),
      ),
      t(20),
      actor,
    );
    const { answer } = given(story).when({ at: t(25), permission: 'vps:manage' });
    expect(answer.grants).toEqual([
      expect.objectContaining({ eventId: roleChanged.id, actor: { userId: ROOT, via: 'api_token', tokenId: 'tok-1' } }),
    ]);
  });

  it('refuses an `at` that is no ISO-8601 instant with a zone, naming `at`', () => {
    for (const at of [
      'yesterday',
      '2030-01-01',
      '2030-01-01T00:00:00',
      '2030-02-30T00:00:00Z',
      '',
      `2030-01-01T00:00:00Z${' '.repeat(40)}`,
    ]) {
      let thrown: unknown;
      try {
        accessAt([], { userId: MIKE, permission: 'vps:read', at });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ kind: 'validation', field: 'at' });
    }
  });

  it('at a far future instant, answers as the live check on the folded state, for any valid history', () => {
    const userId = fc.constantFrom(ROOT, MIKE, NINA);
    // Mostly the root owner acts, so that most commands are decided and the histories grow.
    const by = fc.constantFrom(ROOT, ROOT, ROOT, ROOT, MIKE, NINA);
    const role = fc.constantFrom('owner', 'administrator', 'accountant', 'read-only', 'analyst');
    const scope = fc.oneof(
      fc.constant<Scope>({ type: 'global' }),
      fc.constantFrom(B1, B2).map((billingAccountId): Scope => ({ type: 'restricted', billingAccountId })),
    );
    const permissions = fc.subarray(['domains:read', 'vps:manage', 'billing:read', 'users:read']);
    const builtIn = fc.constantFrom('administrator', 'accountant', 'read-only', 'owner') as fc.Arbitrary<'owner'>;
    const joins = fc.tuple(fc.constantFrom(MIKE, NINA), builtIn, scope).map(([u, r, s]) => ({
      type: 'AddMember' as const,
      data: {
        accountId: ACCOUNT,
        userId: u,
        email: 'x@example.com',
        role: r,
        scope: s,
        accessId: 'a',
        invitationId: 'i',
      },
    }));
    const changes = fc
      .tuple(by, userId, fc.record({ role, permissions, scope }, { requiredKeys: [] }))
      .map(([actor, u, c]) => ({ type: 'ChangeMember' as const, data: { userId: u, by: actor, changes: c } }));
    const command: fc.Arbitrary<AccountCommand> = fc.oneof(
      { arbitrary: joins, weight: 4 },
      { arbitrary: changes, weight: 6 },
      fc.tuple(by, userId).map(([actor, u]) => ({ type: 'RemoveMember' as const, data: { userId: u, by: actor } })),
      userId.map((u) => ({ type: 'LeaveAccount' as const, data: { userId: u } })),
      fc.tuple(by, userId).map(([actor, to]) => ({ type: 'TransferOwnership' as const, data: { to, by: actor } })),
      fc.tuple(by, fc.constantFrom(B1, B2)).map(([actor, b]) => ({
        type: 'CreateBillingAccount' as const,
        data: { billingAccountId: b, name: b, by: actor },
      })),
      {
        arbitrary: fc.tuple(by, permissions).map(([actor, p]) => ({
          type: 'DefineCustomRole' as const,
          data: { name: 'analyst', permissions: p, by: actor },
        })),
        weight: 2,
      },
    );
    const asked = fc.record({
      userId,
      permission: fc.constantFrom(
        'domains:read',
        'vps:manage',
        'billing:read',
        'users:manage',
        'api:manage',
        'nope:read',
      ),
      billingAccountId: fc.option(fc.constantFrom(B1, B2), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 5, maxLength: 30 }),
        fc.array(asked, { minLength: 1, maxLength: 5 }),
        (commands, questions) => {
          const story = new Story();
          created(story);
          commands.forEach((c, i) => {
            try {
              story.at(2 + i, c, { userId: ROOT, via: 'session' });
            } catch (error) {
              // An invalid command decides nothing: the stream holds only what the decider allows.
              if (!(error instanceof DomainError)) throw error;
            }
          });
          const state = replay(story);
          if (state.status !== 'active') throw new Error('no account');
          for (const q of questions) {
            const query = { ...q, at: '9999-12-31T23:59:59Z' };
            const member = state.members.get(q.userId);
            const live = member ? evaluateMember(state, member, q) : { allowed: false, reason: NOT_A_MEMBER };
            const answer = accessAt(story.events, query);
            expect({ allowed: answer.allowed, reason: answer.reason }).toEqual({
              allowed: live.allowed,
              reason: live.reason,
            });
            expect({ role: answer.role, scope: answer.scope }).toEqual({
              role: member?.role ?? null,
              scope: member?.scope ?? null,
            });
            // An allowance always names the events it rests on.
            if (answer.allowed) expect(answer.grants.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The story's stream folded as the live index folds it. */
function replay(story: Story): AccountState {
  return story.events.reduce<AccountState>(
    (state, event) => evolveAccount(state, event as MembershipEvent),
    initialAccountState(),
  );
}
