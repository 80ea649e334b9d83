import { ROLES, type Role } from '@accord/contracts';
import { roleAllows } from './roles';

// Seed 004 "Managing project participants": the Users block, cell by cell. Issue 4 extends this
// to the whole table; these rows gate the walking skeleton's routes.
const usersTable: ReadonlyArray<[string, string, Record<Exclude<Role, 'read-only'>, boolean>]> = [
  ['Adding a new user', 'users:manage', { owner: true, administrator: false, accountant: false }],
  ['View a list of users and roles', 'users:read', { owner: true, administrator: true, accountant: true }],
  ['VPS vStack', 'vps:manage', { owner: true, administrator: true, accountant: false }],
  ['Billing', 'billing:manage', { owner: true, administrator: true, accountant: true }],
  ['SSH configuration', 'ssh-configuration:manage', { owner: true, administrator: true, accountant: false }],
];

describe('seed 004 role table (users block)', () => {
  for (const [action, permission, cells] of usersTable) {
    for (const role of Object.keys(cells) as Array<keyof typeof cells>) {
      it(`${role} ${cells[role] ? 'may' : 'may not'}: ${action}`, () => {
        expect(roleAllows(role, permission).allowed).toBe(cells[role]);
      });
    }
  }
});

describe('levels', () => {
  it('manage implies read of the same section', () => {
    expect(roleAllows('accountant', 'billing:read').allowed).toBe(true);
  });
  it('read does not imply manage', () => {
    expect(roleAllows('read-only', 'vps:manage').allowed).toBe(false);
  });
  it('an unknown or malformed permission is denied for every non-owner role', () => {
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      expect(roleAllows(role, 'vps:admin').allowed).toBe(false);
      expect(roleAllows(role, 'VPS:read').allowed).toBe(false);
    }
  });
});
