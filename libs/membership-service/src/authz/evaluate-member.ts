import type { AuthzCheckPayload, Role } from '@accord/contracts';
import type { ActiveAccount, Member } from '@accord/membership-domain';
import { ROLE_PERMISSIONS, parseSectionPermission, roleAllows, satisfies } from '@accord/permissions';

/**
 * One member's decision on one request: owners hold everything; a restricted member acts within
 * their billing account only; otherwise the role's permissions (built-in or the account's custom
 * role) plus the permissions granted to the member.
 */
export function evaluateMember(account: ActiveAccount, member: Member, request: AuthzCheckPayload): { allowed: boolean; reason: string } {
  if (member.role === 'owner') return { allowed: true, reason: member.userId === account.rootOwnerId ? 'root owner' : 'owner' };
  if (member.scope.type === 'restricted' && request.billingAccountId && request.billingAccountId !== member.scope.billingAccountId) {
    return { allowed: false, reason: 'restricted to another billing account' };
  }
  const wanted = parseSectionPermission(request.permission);
  if (!wanted) return { allowed: false, reason: `unknown permission ${request.permission}` };
  const builtIn = (ROLE_PERMISSIONS as Record<string, readonly string[] | undefined>)[member.role];
  if (builtIn && roleAllows(member.role as Role, request.permission).allowed) return { allowed: true, reason: `role ${member.role}` };
  const held = [...(builtIn ? [] : account.customRoles[member.role] ?? []), ...member.permissions];
  const granted = held.some((p) => {
    const parsed = parseSectionPermission(p);
    return parsed !== null && satisfies(parsed, wanted);
  });
  return granted ? { allowed: true, reason: 'granted permission' } : { allowed: false, reason: `no ${request.permission}` };
}
