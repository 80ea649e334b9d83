import { ROLES, type AuthzCheckPayload, type Role, type Scope } from '@accord/contracts';
import type { ActiveAccount, Member } from '../account';
import {
  ENVIRONMENTS_CREATE,
  SERVERS_TRANSFER,
  heldPermissions,
  holdsAsked,
  isAccountLevel,
  isBuiltInRole,
  isOwnerOnly,
  parseAsked,
  roleHolds,
  type AskedPermission,
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

/** The denial of a check about someone who is not a member (or an account that does not exist). */
export const NOT_A_MEMBER = 'not a member of this account';

/**
 * The denial of anything but a read on a closed account (MEM-24): the gateway answers it with
 * 410, and other services learn that the account takes no more changes.
 */
export const ACCOUNT_CLOSED = 'account closed';

/** AUTHZ-6: every member may use these sections without a grant. */
const AVAILABLE_TO_ALL: ReadonlySet<string> = new Set(CATALOG.availableToAll);

/** A permission asked about, with what the catalog says of it and the answers' texts, worked out once. */
interface Ask extends AskedPermission {
  /** Neither `section:level` nor shaped like an SBS scope. */
  readonly unknown: boolean;
  /** A section about the account itself (decided without a billing account). */
  readonly accountLevel: boolean;
  readonly availableToAll: boolean;
  readonly ownerOnly: boolean;
  readonly unknownReason: string;
  readonly availableReason: string;
  readonly ownerOnlyReason: string;
  readonly noReason: string;
  readonly tokenLacksReason: string;
}

function ask(permission: string): Ask {
  const asked = parseAsked(permission);
  const section = asked.wanted?.section ?? '';
  return {
    ...asked,
    unknown: !asked.wanted && !asked.sbs && !asked.special,
    // Special permissions are about the member in the account, never one billing account's resources.
    accountLevel: asked.special || (asked.wanted !== null && isAccountLevel(CATALOG, section)),
    availableToAll: asked.wanted !== null && AVAILABLE_TO_ALL.has(section),
    ownerOnly: asked.wanted !== null && isOwnerOnly(CATALOG, section, asked.wanted.level),
    unknownReason: `unknown permission ${permission}`,
    availableReason: `${section} is available to every member`,
    ownerOnlyReason: `${section} is available to account owners only`,
    noReason: `no ${permission}`,
    tokenLacksReason: `token lacks ${permission}`,
  };
}

/**
 * Permissions asked about, worked out once each: a check then parses nothing. Bounded (the
 * strings come from requests): emptied when full, and long strings are never kept.
 */
const ASKED = new Map<string, Ask>();
const ASKED_MAX = 4096;
const ASKED_MAX_LENGTH = 128;

function askedOf(permission: string): Ask {
  let asked = ASKED.get(permission);
  if (asked) return asked;
  asked = ask(permission);
  if (permission.length <= ASKED_MAX_LENGTH) {
    if (ASKED.size >= ASKED_MAX) ASKED.clear();
    ASKED.set(permission, asked);
  }
  return asked;
}

const ROLE_REASONS: ReadonlyMap<Role, string> = new Map(ROLES.map((role) => [role, `role ${role}`] as const));

/**
 * One member's decision on one request: `servers:transfer` is the root owner's alone (AUTHZ-17);
 * owners hold everything else (they are always global); `environments:create` follows the
 * member's flag (AUTHZ-16); a
 * restricted member holds a billing-account-level permission only in a check that names their
 * billing account; otherwise the role's permissions (built-in or the account's custom role) plus
 * the permissions granted to the member. No non-owner ever holds an owner-only section.
 */
export function evaluateMember(account: ActiveAccount, member: Member, request: Asked): Answer {
  // MEM-24: a closed account is read-only, for its root owner (the one member left) too.
  if (account.closed && askedOf(request.permission).wanted?.level !== 'read')
    return { allowed: false, reason: ACCOUNT_CLOSED };
  // AUTHZ-17: before the owners' "everything": other owners, roles and grants never give it.
  if (request.permission === SERVERS_TRANSFER)
    return member.userId === account.rootOwnerId
      ? { allowed: true, reason: 'root owner' }
      : { allowed: false, reason: 'only the root owner transfers servers' };
  if (member.role === 'owner')
    return { allowed: true, reason: member.userId === account.rootOwnerId ? 'root owner' : 'owner' };
  const asked = askedOf(request.permission);
  if (asked.unknown) return { allowed: false, reason: asked.unknownReason };
  const scopeDenial = outsideScope(member.scope, asked, request.billingAccountId);
  if (scopeDenial)
    return {
      allowed: false,
      reason: scopeDenial === BILLING_ACCOUNT_REQUIRED ? scopeDenial : 'restricted to another billing account',
    };
  // AUTHZ-16: the member's own flag, whatever their role and grants say.
  if (request.permission === ENVIRONMENTS_CREATE)
    return member.mayCreateEnvironments
      ? { allowed: true, reason: 'may create environments' }
      : { allowed: false, reason: 'may not create environments' };
  if (asked.availableToAll) return { allowed: true, reason: asked.availableReason };
  if (asked.ownerOnly) return { allowed: false, reason: asked.ownerOnlyReason };
  const role = member.role;
  const builtIn = isBuiltInRole(role);
  if (builtIn && roleHolds(role, asked)) return { allowed: true, reason: ROLE_REASONS.get(role)! };
  // Map look-up: a custom role may be called "constructor" (role names match ^[a-z][a-z0-9-]*$).
  const roleHeld = builtIn ? undefined : account.customRoles.get(role);
  return (roleHeld !== undefined && holdsAsked(heldPermissions(roleHeld), asked)) ||
    holdsAsked(heldPermissions(member.permissions), asked)
    ? { allowed: true, reason: 'granted permission' }
    : { allowed: false, reason: asked.noReason };
}

/** A token narrows its user's decision: only its own permissions (when set), only its scope. */
export function narrowedByToken(
  token: { readonly permissions: readonly string[] | null; readonly scope: Scope | null },
  request: Asked,
): Answer {
  const asked = askedOf(request.permission);
  const scopeDenial = token.scope ? outsideScope(token.scope, asked, request.billingAccountId) : null;
  if (scopeDenial)
    return {
      allowed: false,
      reason: scopeDenial === BILLING_ACCOUNT_REQUIRED ? scopeDenial : 'token restricted to another billing account',
    };
  if (token.permissions === null) return { allowed: true, reason: "token holds its user's permissions" };
  return holdsAsked(heldPermissions(token.permissions), asked)
    ? { allowed: true, reason: 'token permission' }
    : { allowed: false, reason: asked.tokenLacksReason };
}

/** The billing account a member's own checks are made in: theirs when restricted, none when global. */
export function ownBillingAccount(member: Member): string | undefined {
  return member.scope.type === 'restricted' ? member.scope.billingAccountId : undefined;
}

/**
 * Restricted scope is a default-deny (SEC-6a, AUTHZ-12: access is limited to the resources of the
 * selected billing account): only account-level sections of the catalog are
 * decided without a billing account. Everything else — billing-account-level sections, SBS scopes
 * (`service:action:resource`, about a service's resources) and sections the catalog does not know —
 * needs a check that names the scope's billing account. Returns the denial, or null when inside.
 */
function outsideScope(
  scope: Scope,
  asked: Ask,
  billingAccountId: string | undefined,
): typeof BILLING_ACCOUNT_REQUIRED | 'another' | null {
  if (scope.type !== 'restricted') return null;
  if (asked.accountLevel) return null;
  if (billingAccountId === undefined) return BILLING_ACCOUNT_REQUIRED;
  return billingAccountId === scope.billingAccountId ? null : 'another';
}
