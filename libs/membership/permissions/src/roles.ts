import type { Role } from '@accord/contracts';
import { compileHeld, holdsAsked, type AskedPermission, type HeldPermissions } from './held-permissions';
import { parseSectionPermission, satisfies } from './permission';
import { DEFAULT_CATALOG, SERVICE_SECTIONS } from './section-catalog';

/** Sections of the role table an accountant may use (AUTHZ-1: "For Partners" … "Legal entities"). */
const ACCOUNTANT_SECTIONS = ['partners', 'billing', 'support', 'legal-entities'] as const;

const manage = (sections: readonly string[]) => sections.map((s) => `${s}:manage`);
const read = (sections: readonly string[]) => sections.map((s) => `${s}:read`);

/** Every section a read-only member sees: all but the owner-only and the available-to-all ones. */
const READABLE_SECTIONS = DEFAULT_CATALOG.sections.filter(
  (s) => !DEFAULT_CATALOG.ownerOnly.includes(s) && !DEFAULT_CATALOG.availableToAll.includes(s),
);

/**
 * What each built-in role holds (AUTHZ-1, the role table; `users:read` = "view a list of users and
 * roles", `users:manage` = add, change roles, remove — owners only; `project:manage` = editing,
 * `project-management:manage` = removal, owners only). The owner holds everything.
 *
 * `read-only` (AUTHZ-3): reads every section it can reach INCLUDING secrets —
 * the platform shows passwords and credentials to readers ("they can still retrieve access
 * credentials and connect via standard methods (e.g., SSH)"). Grant it knowingly.
 */
export const ROLE_PERMISSIONS: ReadonlyMap<Role, readonly string[]> = new Map<Role, readonly string[]>([
  ['owner', [...manage(SERVICE_SECTIONS), 'users:manage', 'project:manage', 'project-management:manage']],
  ['administrator', [...manage(SERVICE_SECTIONS), 'users:read', 'project:manage']],
  ['accountant', [...manage(ACCOUNTANT_SECTIONS), 'users:read', 'project:read']],
  ['read-only', [...read(READABLE_SECTIONS), 'users:read']],
]);

/**
 * Is `role` a built-in role? A Map, not a property look-up: role names come from outside (a custom
 * role may be called "constructor"), and `{}[name]` would find Object.prototype's members.
 */
export function isBuiltInRole(role: string): role is Role {
  return ROLE_PERMISSIONS.has(role as Role);
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * Evaluate a section permission for a member holding `role`. Pure; unknown permissions, and any
 * role that is not built in, are denied.
 */
export function roleAllows(role: Role, permission: string): Decision {
  const wanted = parseSectionPermission(permission);
  if (!wanted) return { allowed: false, reason: `unknown permission ${permission}` };
  const held = ROLE_PERMISSIONS.get(role);
  if (!held) return { allowed: false, reason: `unknown role ${role}` };
  if (role === 'owner') return { allowed: true, reason: 'owner holds every permission' };
  const granted = held.some((p) => {
    const held = parseSectionPermission(p);
    return held !== null && satisfies(held, wanted);
  });
  return granted
    ? { allowed: true, reason: `role ${role} grants ${permission}` }
    : { allowed: false, reason: `role ${role} does not grant ${permission}` };
}

/** Each built-in role's permissions, parsed once (`roleHolds`). */
const ROLE_HELD: ReadonlyMap<Role, HeldPermissions> = new Map(
  [...ROLE_PERMISSIONS].map(([role, held]) => [role, compileHeld(held)] as const),
);

/** `roleAllows(role, asked.permission).allowed`, on a permission parsed once, without allocating. */
export function roleHolds(role: Role, asked: AskedPermission): boolean {
  if (asked.wanted === null) return false;
  const held = ROLE_HELD.get(role);
  if (!held) return false;
  return role === 'owner' || holdsAsked(held, asked);
}
