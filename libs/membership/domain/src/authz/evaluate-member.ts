import type { AuthzCheckPayload, Scope } from '@accord/contracts';
import type { ActiveAccount, Member } from '../account';
import {
  isAccountLevel,
  isBuiltInRole,
  isOwnerOnly,
  isSbsScope,
  parseSectionPermission,
  roleAllows,
  satisfies,
  sbsScopeMatches,
} from '@accord/membership-permissions';
import { CATALOG } from './catalog';

export interface Answer {
  readonly allowed: boolean;
  readonly reason: string;
}

/** What the evaluator reads of a check: the permission and the billing account it names, if any. */
export type Asked = Pick<AuthzCheckPayload, 'permission' | 'billingAccountId'>;

/** The denial of a restricted member's (or token's) check that names no billing account (SEC-6a). */
export const BILLING_ACCOUNT_REQUIRED = 'scope.billing_account_required';

/** AUTHZ-6: every member may use these sections without a grant. */
const AVAILABLE_TO_ALL: ReadonlySet<string> = new Set(CATALOG.availableToAll);

/**
 * One member's decision on one request: owners hold everything (they are always global); a
 * restricted member holds a billing-account-level permission only in a check that names their
 * billing account; otherwise the role's permissions (built-in or the account's custom role) plus
 * the permissions granted to the member. No non-owner ever holds an owner-only section.
 */
export function evaluateMember(account: ActiveAccount, member: Member, request: Asked): Answer {
  if (member.role === 'owner')
    return { allowed: true, reason: member.userId === account.rootOwnerId ? 'root owner' : 'owner' };
  const wanted = parseSectionPermission(request.permission);
  if (!wanted && !isSbsScope(request.permission))
    return { allowed: false, reason: `unknown permission ${request.permission}` };
  const scopeDenial = outsideScope(member.scope, request);
  if (scopeDenial)
    return {
      allowed: false,
      reason: scopeDenial === BILLING_ACCOUNT_REQUIRED ? scopeDenial : 'restricted to another billing account',
    };
  if (wanted && AVAILABLE_TO_ALL.has(wanted.section))
    return { allowed: true, reason: `${wanted.section} is available to every member` };
  if (wanted && isOwnerOnly(CATALOG, wanted.section, wanted.level))
    return { allowed: false, reason: `${wanted.section} is available to account owners only` };
  const builtIn = isBuiltInRole(member.role);
  if (builtIn && roleAllows(member.role, request.permission).allowed)
    return { allowed: true, reason: `role ${member.role}` };
  // Map look-up: a custom role may be called "constructor" (role names match ^[a-z][a-z0-9-]*$).
  const held = [...(builtIn ? [] : (account.customRoles.get(member.role) ?? [])), ...member.permissions];
  return holds(held, request.permission)
    ? { allowed: true, reason: 'granted permission' }
    : { allowed: false, reason: `no ${request.permission}` };
}

/** A token narrows its user's decision: only its own permissions (when set), only its scope. */
export function narrowedByToken(
  token: { readonly permissions: readonly string[] | null; readonly scope: Scope | null },
  request: Asked,
): Answer {
  const scopeDenial = token.scope ? outsideScope(token.scope, request) : null;
  if (scopeDenial)
    return {
      allowed: false,
      reason: scopeDenial === BILLING_ACCOUNT_REQUIRED ? scopeDenial : 'token restricted to another billing account',
    };
  if (token.permissions === null) return { allowed: true, reason: "token holds its user's permissions" };
  return holds(token.permissions, request.permission)
    ? { allowed: true, reason: 'token permission' }
    : { allowed: false, reason: `token lacks ${request.permission}` };
}

/** The billing account a member's own checks are made in: theirs when restricted, none when global. */
export function ownBillingAccount(member: Member): string | undefined {
  return member.scope.type === 'restricted' ? member.scope.billingAccountId : undefined;
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

/**
 * Restricted scope is a default-deny (SEC-6a, AUTHZ-12: access is limited to the resources of the
 * selected billing account): only account-level sections of the catalog are
 * decided without a billing account. Everything else — billing-account-level sections, SBS scopes
 * (`service:action:resource`, about a service's resources) and sections the catalog does not know —
 * needs a check that names the scope's billing account. Returns the denial, or null when inside.
 */
function outsideScope(scope: Scope, request: Asked): typeof BILLING_ACCOUNT_REQUIRED | 'another' | null {
  if (scope.type !== 'restricted') return null;
  const wanted = parseSectionPermission(request.permission);
  if (wanted && isAccountLevel(CATALOG, wanted.section)) return null;
  if (request.billingAccountId === undefined) return BILLING_ACCOUNT_REQUIRED;
  return request.billingAccountId === scope.billingAccountId ? null : 'another';
}
