import type { DomainError, MembershipEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accountDecider, type AccountCommand } from './account';

// Issue 8 rule 9, seed 004 "owners create and remove the Owner role", seed 002 "the root owner
// cannot be removed": any owner may remove or demote another owner who is not the root; nobody
// removes or demotes the root; only the root transfers rootship. Every pair, one spec each:
// actor ∈ {root, owner, administrator, former member, stranger} × target ∈ {root, another owner,
// member, self} × action ∈ {remove, demote, transfer ownership}.

const given = deciderSpec(accountDecider);
const acc = 'acc1';
const joined = (userId: string, role: 'owner' | 'administrator'): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@x.io`,
    role,
    scope: { type: 'global' },
    accessId: 'a1',
    invitationId: `i-${userId}`,
  },
});
const history: MembershipEvent[] = [
  { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } },
  joined('olga', 'owner'),
  joined('oscar', 'owner'),
  joined('mike', 'administrator'),
  joined('ann', 'administrator'),
  joined('fred', 'owner'),
  { type: 'MemberRemoved', data: { accountId: acc, userId: 'fred', email: 'fred@x.io', removedBy: 'root' } },
];

type Actor = 'root' | 'owner' | 'administrator' | 'former member' | 'stranger';
const actorName: Record<Actor, string> = {
  root: 'the root',
  owner: 'an owner',
  administrator: 'an administrator',
  'former member': 'a former owner (removed)',
  stranger: 'a stranger',
};
type Target = 'the root' | 'another owner' | 'a member' | 'themselves';
const actorId: Record<Actor, string> = {
  root: 'root',
  owner: 'olga',
  administrator: 'mike',
  'former member': 'fred',
  stranger: 'xavier',
};
const targetId = (actor: Actor, target: Target): string =>
  ({
    'the root': 'root',
    'another owner': actor === 'owner' ? 'oscar' : 'olga',
    'a member': 'ann',
    themselves: actorId[actor],
  })[target];
/** The role a target holds; "demote" gives an owner administrator, a member accountant. */
const roleOf = (userId: string) => (['root', 'olga', 'oscar', 'fred'].includes(userId) ? 'owner' : 'administrator');
const lowerRole = (userId: string) => (roleOf(userId) === 'owner' ? 'administrator' : 'accountant');

const remove = (by: string, userId: string): AccountCommand => ({ type: 'RemoveMember', data: { userId, by } });
const demote = (by: string, userId: string): AccountCommand => ({
  type: 'ChangeMember',
  data: { userId, by, changes: { role: lowerRole(userId) } },
});
const transfer = (by: string, to: string): AccountCommand => ({ type: 'TransferOwnership', data: { to, by } });

const removed = (by: string, userId: string): MembershipEvent[] => [
  { type: 'MemberRemoved', data: { accountId: acc, userId, email: `${userId}@x.io`, removedBy: by } },
];
const demoted = (by: string, userId: string): MembershipEvent[] => [
  {
    type: 'RoleChanged',
    data: {
      accountId: acc,
      userId,
      email: `${userId}@x.io`,
      from: roleOf(userId),
      to: lowerRole(userId),
      changedBy: by,
    },
  },
];
const transferred = (by: string, to: string): MembershipEvent[] => [
  ...(roleOf(to) === 'owner'
    ? []
    : [
        {
          type: 'RoleChanged',
          data: { accountId: acc, userId: to, email: `${to}@x.io`, from: roleOf(to), to: 'owner', changedBy: by },
        } as const,
      ]),
  { type: 'OwnershipTransferred', data: { accountId: acc, from: 'root', to } },
];

type Outcome = ((by: string, userId: string) => MembershipEvent[]) | 'nothing' | readonly [DomainError['kind'], string];
const ROOT_OWNER = ['conflict', 'member.root_owner'] as const;
const OWNERS_ONLY = ['forbidden', 'users.owner_only'] as const;
const ROOT_ONLY = ['forbidden', 'ownership.root_only'] as const;
const REMOVE_SELF = ['conflict', 'member.remove_self'] as const;

const ACTIONS = {
  remove: { verb: 'removes', command: remove },
  demote: { verb: 'demotes', command: demote },
  transfer: { verb: 'transfers ownership to', command: transfer },
} as const;

/** [actor, target, remove, demote, transfer]: the whole rule, one row per pair. */
const RULES: ReadonlyArray<[Actor, Target, Outcome, Outcome, Outcome]> = [
  ['root', 'the root', ROOT_OWNER, ROOT_OWNER, 'nothing'],
  ['root', 'another owner', removed, demoted, transferred],
  ['root', 'a member', removed, demoted, transferred],
  ['root', 'themselves', ROOT_OWNER, ROOT_OWNER, 'nothing'],
  ['owner', 'the root', ROOT_OWNER, ROOT_OWNER, ROOT_ONLY],
  ['owner', 'another owner', removed, demoted, ROOT_ONLY],
  ['owner', 'a member', removed, demoted, ROOT_ONLY],
  // An owner who is not the root may give up the owner role; removing oneself is leaving.
  ['owner', 'themselves', REMOVE_SELF, demoted, ROOT_ONLY],
  ...(['administrator', 'former member', 'stranger'] as const).flatMap((actor) =>
    (['the root', 'another owner', 'a member', 'themselves'] as const).map(
      (target) => [actor, target, OWNERS_ONLY, OWNERS_ONLY, ROOT_ONLY] as [Actor, Target, Outcome, Outcome, Outcome],
    ),
  ),
];

const cases = RULES.flatMap(([actor, target, ...outcomes]) =>
  (['remove', 'demote', 'transfer'] as const).map((action, i) => {
    const outcome = outcomes[i]!;
    const allowed =
      typeof outcome === 'function' ? '' : outcome === 'nothing' ? ' (nothing to do)' : ` → refused: ${outcome[1]}`;
    return [`${actorName[actor]} ${ACTIONS[action].verb} ${target}${allowed}`, actor, target, action, outcome] as const;
  }),
);

describe('owner rules: who may act on whom (issue 8 rule 9)', () => {
  it.each(cases)('%s', (_name, actor, target, action, outcome) => {
    const by = actorId[actor];
    const userId = targetId(actor, target);
    const spec = given(history).when(ACTIONS[action].command(by, userId));
    if (outcome === 'nothing') spec.thenNothing();
    else if (typeof outcome === 'function') spec.then(outcome(by, userId));
    else spec.thenThrows(outcome[0], outcome[1]);
  });

  it('covers every actor × target × action', () => expect(cases).toHaveLength(5 * 4 * 3));

  it('an owner removes another owner who is not the root', () =>
    given(history).when(remove('olga', 'oscar')).then(removed('olga', 'oscar')));
  it('an owner demotes another owner who is not the root (same rule as removal)', () =>
    given(history).when(demote('olga', 'oscar')).then(demoted('olga', 'oscar')));
  it('nobody demotes the root, not even by a role change bundled with other changes', () =>
    given(history)
      .when({
        type: 'ChangeMember',
        data: { userId: 'root', by: 'olga', changes: { role: 'administrator', displayName: 'R' } },
      })
      .thenThrows(...ROOT_OWNER));
  it('only the root transfers rootship', () =>
    given(history)
      .when(transfer('olga', 'oscar'))
      .thenThrows(...ROOT_ONLY));
});
