import type { AuthzCheckPayload, Role, Scope } from '@accord/contracts';
import type { ActiveAccount, Member } from '@accord/membership-domain';
import { ROLE_PERMISSIONS, isSbsScope, parseSectionPermission, roleAllows, satisfies, sbsScopeMatches } from '@accord/permissions';
import { CATALOG } from '../grants';

/**
 * One member's decision on one request: owners hold everything; a restricted member acts within
 * their billing account only; otherwise the role's permissions (built-in or the account's custom
 * role) plus the permissions granted to the member.
 */
/** Seed 003 "Available to All Users": every member may use these sections. */
const AVAILABLE_TO_ALL: ReadonlySet<string> = new Set(CATALOG.availableToAll);

export function evaluateMember(account: ActiveAccount, member: Member, request: AuthzCheckPayload): { allowed: boolean; reason: string } {
  if (member.role === 'owner') return { allowed: true, reason: member.userId === account.rootOwnerId ? 'root owner' : 'owner' };
  if (outsideScope(member.scope, request)) return { allowed: false, reason: 'restricted to another billing account' };
  const wanted = parseSectionPermission(request.permission);
  if (!wanted && !isSbsScope(request.permission)) return { allowed: false, reason: `unknown permission ${request.permission}` };
  if (wanted && AVAILABLE_TO_ALL.has(wanted.section)) return { allowed: true, reason: `${wanted.section} is available to every member` };
  const builtIn = (ROLE_PERMISSIONS as Record<string, readonly string[] | undefined>)[member.role];
  if (builtIn && roleAllows(member.role as Role, request.permission).allowed) return { allowed: true, reason: `role ${member.role}` };
  const held = [...(builtIn ? [] : account.customRoles[member.role] ?? []), ...member.permissions];
  return holds(held, request.permission) ? { allowed: true, reason: 'granted permission' } : { allowed: false, reason: `no ${request.permission}` };
}

/** A token narrows its user's decision: only its own permissions (when set), only its scope. */
export function narrowedByToken(
  token: { readonly permissions: readonly string[] | null; readonly scope: Scope | null },
  request: AuthzCheckPayload,
): { allowed: boolean; reason: string } {
  if (token.scope && outsideScope(token.scope, request)) return { allowed: false, reason: 'token restricted to another billing account' };
  if (token.permissions === null) return { allowed: true, reason: "token holds its user's permissions" };
  return holds(token.permissions, request.permission) ? { allowed: true, reason: 'token permission' } : { allowed: false, reason: `token lacks ${request.permission}` };
}

/** Does any of `held` satisfy `permission`? (`manage` implies `read`; SBS scopes match by pattern.) */
function holds(held: readonly string[], permission: string): boolean {
  if (isSbsScope(permission)) return held.some((p) => sbsScopeMatches(p, permission));
  const wanted = parseSectionPermission(permission);
  return (
    wanted !== null &&
    held.some((p) => {
      const parsed = parseSectionPermission(p);
      return parsed !== null && satisfies(parsed, wanted);
    })
  );
}

function outsideScope(scope: Scope, request: AuthzCheckPayload): boolean {
  return scope.type === 'restricted' && request.billingAccountId !== undefined && request.billingAccountId !== scope.billingAccountId;
}
