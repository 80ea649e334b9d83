import type { MembershipEvent } from '@accord/contracts';
import { roleAllows } from '@accord/membership-permissions';
import { accountDecider, type AccountCommand } from './account';

// Seed 004 "Managing project participants", the table of available user actions, transcribed row
// by row (Owner, Administrator, Accountant). Each cell is one test: service rows through the role
// evaluator, the Users block through the Account decider itself.
type Cells = readonly [owner: boolean, administrator: boolean, accountant: boolean];
const ROLES = ['owner', 'administrator', 'accountant'] as const;

const PERMISSION_ROWS: ReadonlyArray<[string, string, Cells]> = [
  ['VPS vStack', 'vps:manage', [true, true, false]],
  ['IaaS vmware', 'iaas:manage', [true, true, false]],
  ['Storage', 'storage:manage', [true, true, false]],
  ['DNS', 'dns:manage', [true, true, false]],
  ['SSL', 'ssl:manage', [true, true, false]],
  ['Monitoring', 'monitoring:manage', [true, true, false]],
  ['For Partners', 'partners:manage', [true, true, true]],
  ['Billing', 'billing:manage', [true, true, true]],
  ['Support', 'support:manage', [true, true, true]],
  ['Legal entities configuration', 'legal-entities:manage', [true, true, true]],
  ['SSH configuration', 'ssh-configuration:manage', [true, true, false]],
  ['Adding a new user', 'users:manage', [true, false, false]],
  ['View a list of users and roles', 'users:read', [true, true, true]],
  ['Project View', 'project:read', [true, true, true]],
  ['Project Editing', 'project:manage', [true, true, false]],
  ['Project Removal', 'project-management:manage', [true, false, false]],
];

// The account: root owner, a second owner, one member per role, and a target member.
const acc = 'acc1';
const joined = (userId: string, role: 'owner' | 'administrator' | 'accountant'): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@x.io`,
    role,
    scope: { type: 'global' },
    accessId: 'a',
    invitationId: `i-${userId}`,
  },
});
const history: MembershipEvent[] = [
  {
    type: 'AccountCreated',
    data: { accountId: acc, name: 'Project', rootOwner: { userId: 'root', email: 'root@x.io' } },
  },
  joined('owner2', 'owner'),
  joined('admin', 'administrator'),
  joined('accountant', 'accountant'),
  joined('target', 'administrator'),
];
const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
/** Who acts for each role; the root is the owner except where the row is about leaving. */
const actor = { owner: 'root', administrator: 'admin', accountant: 'accountant' } as const;

const ACTION_ROWS: ReadonlyArray<[string, (by: string, role: (typeof ROLES)[number]) => AccountCommand, Cells]> = [
  [
    'Changing roles',
    (by) => ({ type: 'ChangeMember', data: { userId: 'target', by, changes: { role: 'accountant' } } }),
    [true, false, false],
  ],
  ['Remove user from team', (by) => ({ type: 'RemoveMember', data: { userId: 'target', by } }), [true, false, false]],
  // The root owner cannot leave (seed 002); an owner who is not root can, like every member.
  [
    'Remove yourself from the team',
    (by, role) => ({ type: 'LeaveAccount', data: { userId: role === 'owner' ? 'owner2' : by } }),
    [true, true, true],
  ],
  [
    'Ability to create an "Owner" role',
    (by) => ({ type: 'ChangeMember', data: { userId: 'target', by, changes: { role: 'owner' } } }),
    [true, false, false],
  ],
  [
    'Ability to transfer the "Owner" role',
    (by) => ({ type: 'TransferOwnership', data: { to: 'target', by } }),
    [true, false, false],
  ],
  [
    'Ability to remove the "Owner" role',
    (by) => ({ type: 'ChangeMember', data: { userId: 'owner2', by, changes: { role: 'administrator' } } }),
    [true, false, false],
  ],
];

const allowedByDecider = (command: AccountCommand): boolean => {
  try {
    return accountDecider.decide(command, state).length > 0;
  } catch {
    return false;
  }
};

const cells = [
  ...PERMISSION_ROWS.flatMap(([row, permission, expected]) =>
    ROLES.map((role, i) => [`${role} × ${row}`, expected[i]!, () => roleAllows(role, permission).allowed] as const),
  ),
  ...ACTION_ROWS.flatMap(([row, command, expected]) =>
    ROLES.map(
      (role, i) => [`${role} × ${row}`, expected[i]!, () => allowedByDecider(command(actor[role], role))] as const,
    ),
  ),
];

describe('seed 004 role table, cell by cell (role × action)', () => {
  it.each(cells)('%s: %s', (_cell, expected, allowed) => {
    expect(allowed()).toBe(expected);
  });

  it('covers every row of the table for every role', () =>
    expect(cells).toHaveLength((PERMISSION_ROWS.length + ACTION_ROWS.length) * 3));
});
