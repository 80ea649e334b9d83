import { ROLES, type Role } from '@accord/contracts';
import { isBuiltInRole, roleAllows } from './roles';

// The full seed 004 table is libs/membership/domain/src/seed-004-role-table.unit.spec.ts; these
// are the evaluator's own rules.
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

describe('read-only (seed 003 "Read Only" access)', () => {
  it('reads every section it can reach, seed 003 sections included', () => {
    for (const permission of ['vps:read', 'databases:read', 'ssh-keys:read', 'billing:read', 'users:read']) {
      expect(roleAllows('read-only', permission).allowed).toBe(true);
    }
  });
  it('never reads owner-only sections', () => {
    expect(roleAllows('read-only', 'notifications:read').allowed).toBe(false);
    expect(roleAllows('read-only', 'project-management:read').allowed).toBe(false);
  });
});

describe('role names from outside never find Object.prototype members (issue 8 rule 1)', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '%s is not a built-in role and is denied everything',
    (name) => {
      expect(isBuiltInRole(name)).toBe(false);
      expect(roleAllows(name as Role, 'vps:read')).toEqual({ allowed: false, reason: `unknown role ${name}` });
    },
  );
  it('every built-in role is known', () => expect(ROLES.filter((r) => !isBuiltInRole(r))).toEqual([]));
});
