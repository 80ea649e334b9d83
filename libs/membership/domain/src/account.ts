import {
  LIMITS,
  ROLES,
  ROLE_NAME_PATTERN,
  conflict,
  exhaustive,
  forbidden,
  gone,
  invalid,
  notFound,
  type AccountCreatedData,
  type Actor,
  type AddMemberPayload,
  type Decider,
  type MemberRemovalReason,
  type MembershipEvent,
  type Role,
  type Scope,
} from '@accord/contracts';
import { expandGrant } from '@accord/membership-permissions';
import { CATALOG } from './authz/catalog';

// The Account aggregate (stream `account-<id>`): who belongs to it, with which role, permissions
// and scope, and who its owners are. Every rule about owners is decided here against the stored
// stream under optimistic concurrency, so races ("transfer to X" vs "remove X", two owners removing
// each other) resolve on the real state: the root owner is one, always a member, always an owner.
//
// Members, billing accounts and custom roles are Maps: their keys come from outside (a user id in
// a URL, a role name), and a plain object would answer `members['constructor']` with
// Object.prototype.constructor (SEC-1a: that is how a `MemberRemoved` with no user id got stored).

export interface MemberChanges {
  readonly role?: string;
  /** Already expanded with related sections (AUTHZ-4) by the caller with the catalog in force. */
  readonly permissions?: readonly string[];
  readonly scope?: Scope;
  readonly displayName?: string | null;
  readonly mayCreateEnvironments?: boolean;
}

export type AccountCommand =
  | { readonly type: 'CreateAccount'; readonly data: AccountCreatedData }
  | { readonly type: 'AddMember'; readonly data: AddMemberPayload }
  | {
      readonly type: 'ChangeMember';
      readonly data: { readonly userId: string; readonly by: string; readonly changes: MemberChanges };
    }
  | { readonly type: 'NameAccount'; readonly data: { readonly userId: string; readonly displayName: string | null } }
  | { readonly type: 'RemoveMember'; readonly data: { readonly userId: string; readonly by: string } }
  | { readonly type: 'LeaveAccount'; readonly data: { readonly userId: string } }
  | { readonly type: 'TransferOwnership'; readonly data: { readonly to: string; readonly by: string } }
  | {
      readonly type: 'CreateBillingAccount';
      readonly data: { readonly billingAccountId: string; readonly name: string; readonly by: string };
    }
  | {
      readonly type: 'DefineCustomRole';
      readonly data: { readonly name: string; readonly permissions: readonly string[]; readonly by: string };
    }
  | { readonly type: 'RenameAccount'; readonly data: { readonly name: string; readonly by: string } }
  /**
   * `confirmName`: the account's name as the root owner typed it to confirm (MEM-22); `via`: how
   * they acted (a person signed in closes an account, never an API token nor an impersonation).
   */
  | {
      readonly type: 'CloseAccount';
      readonly data: { readonly confirmName: string; readonly by: string; readonly via: Actor['via'] };
    }
  | {
      readonly type: 'RenameBillingAccount';
      readonly data: { readonly billingAccountId: string; readonly name: string; readonly by: string };
    }
  | { readonly type: 'DeleteBillingAccount'; readonly data: { readonly billingAccountId: string; readonly by: string } }
  | { readonly type: 'DeleteCustomRole'; readonly data: { readonly name: string; readonly by: string } }
  | RemoveAccessMembers;

/**
 * INV-28, INV-29: the access `accessId` was revoked or ran out (a fact the invitation context
 * decided under its own owner rules): everyone who joined through it goes, on behalf of `by`.
 */
export interface RemoveAccessMembers {
  readonly type: 'RemoveAccessMembers';
  readonly data: {
    readonly accessId: string;
    readonly reason: Extract<MemberRemovalReason, 'access_revoked' | 'access_expired'>;
    readonly by: string;
  };
}

export interface Member {
  readonly userId: string;
  readonly email: string;
  /** A built-in role (AUTHZ-1, AUTHZ-3) or one of the account's custom roles (MEM-12, MEM-13). */
  readonly role: string;
  readonly permissions: readonly string[];
  readonly scope: Scope;
  readonly displayName: string | null;
  readonly accountDisplayName: string | null;
  readonly mayCreateEnvironments: boolean;
  /** INV-28: the access they joined through (absent: the creator, or joined before this was kept). */
  readonly accessId?: string;
  /** INV-29: when that access ends; absent: never. */
  readonly accessExpiresAt?: string;
}

export interface ActiveAccount {
  readonly status: 'active';
  readonly accountId: string;
  readonly name: string;
  readonly rootOwnerId: string;
  readonly members: ReadonlyMap<string, Member>;
  readonly billingAccounts: ReadonlyMap<string, { readonly name: string }>;
  readonly customRoles: ReadonlyMap<string, readonly string[]>;
  /** MEM-24: closed by its root owner; read-only from then on. Absent: open. */
  readonly closed?: boolean;
}

export type AccountState = { readonly status: 'none' } | ActiveAccount;

export const initialAccountState = (): AccountState => ({ status: 'none' });

export function decideAccount(command: AccountCommand, state: AccountState): MembershipEvent[] {
  if (command.type === 'CreateAccount') return create(command.data, state);
  if (state.status !== 'active') throw notFound('account.not_found', 'No such account.');
  if (state.closed) throw accountClosed();
  const accountId = state.accountId;
  switch (command.type) {
    case 'AddMember':
      return addMember(state, command.data);
    case 'ChangeMember':
      return change(state, command.data);
    case 'NameAccount': {
      const member = memberOf(state, command.data.userId);
      const displayName = name('displayName', command.data.displayName);
      if (member.accountDisplayName === displayName) return [];
      return [{ type: 'AccountDisplayNameChanged', data: { accountId, userId: member.userId, displayName } }];
    }
    case 'RemoveMember': {
      const member = mayActOn(state, command.data.by, command.data.userId, 'remove');
      return [
        {
          type: 'MemberRemoved',
          data: { accountId, userId: member.userId, email: member.email, removedBy: command.data.by },
        },
      ];
    }
    case 'LeaveAccount': {
      const member = memberOf(state, command.data.userId);
      // The root owner is always an owner, so "never zero owners" holds as long as root stays.
      if (member.userId === state.rootOwnerId) {
        throw conflict(
          'member.root_cannot_leave',
          'The root owner cannot leave; transfer ownership to another member first.',
        );
      }
      return [{ type: 'MemberLeft', data: { accountId, userId: member.userId, email: member.email } }];
    }
    case 'TransferOwnership': {
      if (command.data.by !== state.rootOwnerId) {
        throw forbidden('ownership.root_only', 'Only the root owner can transfer ownership.');
      }
      const to = state.members.get(command.data.to);
      if (!to) throw notFound('member.not_found', 'The new owner must be a member of the account.');
      if (to.userId === state.rootOwnerId) return [];
      const events: MembershipEvent[] = [];
      if (to.role !== 'owner') {
        events.push({
          type: 'RoleChanged',
          data: {
            accountId,
            userId: to.userId,
            email: to.email,
            from: to.role,
            to: 'owner',
            changedBy: command.data.by,
          },
        });
      }
      if (to.scope.type !== 'global') {
        events.push({
          type: 'MemberScopeChanged',
          data: { accountId, userId: to.userId, scope: { type: 'global' }, changedBy: command.data.by },
        });
      }
      events.push({ type: 'OwnershipTransferred', data: { accountId, from: state.rootOwnerId, to: to.userId } });
      return events;
    }
    case 'CreateBillingAccount': {
      requireOwner(state, command.data.by);
      if (state.billingAccounts.has(command.data.billingAccountId)) return [];
      const billingName = billingAccountName(command.data.name);
      return [
        {
          type: 'BillingAccountCreated',
          data: {
            accountId,
            billingAccountId: command.data.billingAccountId,
            name: billingName,
            createdBy: command.data.by,
          },
        },
      ];
    }
    case 'DefineCustomRole': {
      requireOwner(state, command.data.by);
      const roleName = name('name', command.data.name);
      if (!roleName || !ROLE_NAME_PATTERN.test(roleName)) {
        throw invalid('name', 'role.name_invalid', 'A custom role name is lower-case letters, digits and dashes.');
      }
      if (isBuiltInRole(roleName)) throw conflict('role.builtin', `${roleName} is a built-in role.`);
      return [
        {
          type: 'CustomRoleDefined',
          data: { accountId, name: roleName, permissions: command.data.permissions, definedBy: command.data.by },
        },
      ];
    }
    case 'RenameAccount': {
      requireOwner(state, command.data.by);
      const accountName = name('name', command.data.name);
      if (!accountName)
        throw invalid('name', 'account.name_invalid', `An account name has 1 to ${LIMITS.name} characters.`);
      if (accountName === state.name) return [];
      return [{ type: 'AccountRenamed', data: { accountId, name: accountName, renamedBy: command.data.by } }];
    }
    case 'CloseAccount':
      return close(state, command.data);
    case 'RemoveAccessMembers':
      return removeAccessMembers(state, command.data);
    case 'RenameBillingAccount': {
      requireOwner(state, command.data.by);
      const billing = billingAccountOf(state, command.data.billingAccountId);
      const billingName = billingAccountName(command.data.name);
      if (billingName === billing.name) return [];
      return [
        {
          type: 'BillingAccountRenamed',
          data: {
            accountId,
            billingAccountId: command.data.billingAccountId,
            name: billingName,
            renamedBy: command.data.by,
          },
        },
      ];
    }
    case 'DeleteBillingAccount': {
      requireOwner(state, command.data.by);
      const { billingAccountId } = command.data;
      billingAccountOf(state, billingAccountId);
      // MEM-26: a restricted member's whole access is this billing account; deleting it under them
      // would leave a scope naming nothing. The owner moves or removes them first.
      const restricted = [...state.members.values()].filter(
        (m) => m.scope.type === 'restricted' && m.scope.billingAccountId === billingAccountId,
      );
      if (restricted.length > 0) {
        throw conflict(
          'billing_account.in_use',
          `${restricted.length} member(s) are restricted to this billing account (${restricted[0]!.email}…); change their scope first.`,
        );
      }
      return [{ type: 'BillingAccountDeleted', data: { accountId, billingAccountId, deletedBy: command.data.by } }];
    }
    case 'DeleteCustomRole': {
      requireOwner(state, command.data.by);
      const roleName = command.data.name;
      // A Map look-up: a role named "constructor" is no Object.prototype property (SEC-1a).
      if (typeof roleName !== 'string' || !state.customRoles.has(roleName))
        throw notFound('role.not_found', 'No such custom role in this account.');
      const holders = [...state.members.values()].filter((m) => m.role === roleName);
      if (holders.length > 0) {
        throw conflict(
          'role.in_use',
          `${holders.length} member(s) hold the role ${roleName} (${holders[0]!.email}…); give them another role first.`,
        );
      }
      return [{ type: 'CustomRoleDeleted', data: { accountId, name: roleName, deletedBy: command.data.by } }];
    }
    default:
      return exhaustive(command);
  }
}

/**
 * INV-28, INV-29: every member who joined through the access is removed, with the reason, so each
 * is told why and their tokens are revoked (TOK-10). A member holds exactly one access — the one
 * they joined through: a share to a member's e-mail is refused (INV-7), and an invitation accepted
 * by someone already a member adds nothing (MEM-16) — so "and holds no other access" is always
 * true of them. The root owner is never removed (MEM-6), even one who joined through the access
 * before rootship was handed to them. A second run finds nobody left: redelivery removes nobody.
 */
function removeAccessMembers(state: ActiveAccount, data: RemoveAccessMembers['data']): MembershipEvent[] {
  const { accountId } = state;
  return [...state.members.values()]
    .filter((m) => m.accessId === data.accessId && m.userId !== state.rootOwnerId)
    .map((m) => ({
      type: 'MemberRemoved',
      data: { accountId, userId: m.userId, email: m.email, removedBy: data.by, reason: data.reason },
    }));
}

/** MEM-24: the one answer every command on a closed account gets. */
function accountClosed() {
  return gone('account.closed', 'This account is closed: it takes no more changes.');
}

/** A billing account's name, trimmed, or a 400 naming the field (on creation and rename alike). */
function billingAccountName(value: string): string {
  const billingName = name('name', value);
  if (!billingName)
    throw invalid(
      'name',
      'billing_account.name_invalid',
      `A billing account has a name of 1 to ${LIMITS.name} characters.`,
    );
  return billingName;
}

/**
 * MEM-22, MEM-23: the root owner alone closes the account, and only by typing its name (trimmed,
 * exactly as it is now): a slip of the finger on another account's page closes nothing. Every
 * other member is removed in the same decision (reason `account_closed`, by the root, so each is
 * told why), then the account is closed. The root stays, alone, to read what is left (MEM-24).
 */
function close(state: ActiveAccount, data: { confirmName: string; by: string; via: Actor['via'] }): MembershipEvent[] {
  if (data.by !== state.rootOwnerId) {
    requireOwner(state, data.by);
    throw forbidden('account.root_only', 'Only the root owner can close the account.');
  }
  if (data.via !== 'session')
    throw forbidden('account.close_signed_in', 'Sign in as the root owner to close the account.');
  if (typeof data.confirmName !== 'string' || data.confirmName.trim() !== state.name) {
    throw invalid(
      'confirmName',
      'account.confirm_name_mismatch',
      'Type the account’s name exactly as it is to confirm closing it.',
    );
  }
  const { accountId } = state;
  const removed: MembershipEvent[] = [...state.members.values()]
    .filter((m) => m.userId !== state.rootOwnerId)
    .map((m) => ({
      type: 'MemberRemoved',
      data: { accountId, userId: m.userId, email: m.email, removedBy: data.by, reason: 'account_closed' },
    }));
  return [...removed, { type: 'AccountClosed', data: { accountId, name: state.name, closedBy: data.by } }];
}

function billingAccountOf(state: ActiveAccount, billingAccountId: string): { readonly name: string } {
  const billing = typeof billingAccountId === 'string' ? state.billingAccounts.get(billingAccountId) : undefined;
  if (!billing) throw notFound('billing_account.not_found', 'No such billing account in this account.');
  return billing;
}

function create(data: AccountCreatedData, state: AccountState): MembershipEvent[] {
  if (state.status !== 'none') throw conflict('account.exists', 'This account already exists.');
  const accountName = name('name', data.name);
  if (!accountName)
    throw invalid('name', 'account.name_invalid', `An account name has 1 to ${LIMITS.name} characters.`);
  return [{ type: 'AccountCreated', data: { ...data, name: accountName } }];
}

/**
 * Accepting an invitation makes its recipient a member (reaction to InvitationAccepted). The
 * decider re-checks what the invitation service and the gateway checked, trusting neither:
 * - the role is a built-in one (invitations share built-in roles only);
 * - an owner joins with global scope whatever the invitation said (owners are always global);
 * - a restricted scope must name a billing account of this account. If it does not, the member
 *   is NOT added and a conflict `billing_account.not_found` is raised: joining with global scope
 *   would widen the grant and joining with no access is not a membership. Billing accounts are
 *   never deleted and the share was checked against them, so only a forged or corrupted
 *   acceptance gets here; the reactor logs it and moves on.
 */
function addMember(state: ActiveAccount, data: AddMemberPayload): MembershipEvent[] {
  // Already a member (a redelivered InvitationAccepted, or an owner accepting a share of
  // their own account): nothing changes, so reactions stay idempotent.
  if (state.members.has(data.userId)) return [];
  if (!isBuiltInRole(data.role)) throw invalid('role', 'role.unknown', `No built-in role named ${String(data.role)}.`);
  const scope: Scope = data.role === 'owner' ? GLOBAL : scopeOf(data.scope);
  if (scope.type === 'restricted' && !state.billingAccounts.has(scope.billingAccountId)) {
    throw conflict(
      'billing_account.not_found',
      'The accepted invitation names a billing account this account does not have.',
    );
  }
  const { permissions, mayCreateEnvironments, ...joined } = data;
  return [
    { type: 'MemberJoined', data: { ...joined, scope, ...joinedWith(data.role, permissions, mayCreateEnvironments) } },
  ];
}

/**
 * INV-26, AUTHZ-16: what the access granted beside the role, re-checked as a PATCH would be
 * (`expandGrant`: the catalog's permissions, nothing owner-only, no special permission): an
 * invitation names them only once validated, so a refusal here means a forged acceptance. An owner
 * holds everything already: nothing is stored for one. Empty and false are left out of the event.
 */
function joinedWith(
  role: string,
  permissions: readonly string[] | undefined,
  mayCreateEnvironments: boolean | undefined,
): { permissions?: string[]; mayCreateEnvironments?: true } {
  if (role === 'owner') return {};
  const out: { permissions?: string[]; mayCreateEnvironments?: true } = {};
  if (permissions !== undefined) {
    if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === 'string'))
      throw invalid('permissions', 'permission.not_grantable', 'Permissions are a list of permission strings.');
    const grant = expandGrant(CATALOG, permissions);
    if (!grant.ok) throw invalid(`permissions[${grant.index}]`, 'permission.not_grantable', grant.reason);
    if (grant.permissions.length > 0) out.permissions = grant.permissions;
  }
  if (mayCreateEnvironments === true) out.mayCreateEnvironments = true;
  return out;
}

/**
 * MEM-3, MEM-5: only owners change roles and create owners. Demoting an owner follows the same
 * rule as removing one (`mayActOn`, MEM-7): any owner may, except for the root. Giving a member the owner role
 * makes them global in the same decision (owners are always global), as a transfer does.
 */
function change(state: ActiveAccount, data: { userId: string; by: string; changes: MemberChanges }): MembershipEvent[] {
  requireOwner(state, data.by);
  const member = memberOf(state, data.userId);
  const { accountId } = state;
  const { changes } = data;
  const events: MembershipEvent[] = [];

  const newRole = changes.role !== undefined && changes.role !== member.role ? changes.role : undefined;
  if (newRole !== undefined) {
    if (member.role === 'owner' || member.userId === state.rootOwnerId)
      mayActOn(state, data.by, member.userId, 'demote');
    if (!isBuiltInRole(newRole) && !state.customRoles.has(newRole)) {
      throw invalid('role', 'role.unknown', `No role named ${String(newRole)} in this account.`);
    }
    events.push({
      type: 'RoleChanged',
      data: {
        accountId,
        userId: member.userId,
        email: member.email,
        from: member.role,
        to: newRole,
        changedBy: data.by,
      },
    });
  }
  if (changes.permissions !== undefined && !sameSet(changes.permissions, member.permissions)) {
    events.push({
      type: 'MemberPermissionsChanged',
      data: { accountId, userId: member.userId, permissions: [...changes.permissions].sort(), changedBy: data.by },
    });
  }
  let scope = changes.scope === undefined ? undefined : scopeOf(changes.scope);
  if ((newRole ?? member.role) === 'owner') {
    if (scope?.type === 'restricted') throw conflict('scope.owner_global', 'Owners always have global scope.');
    if (newRole !== undefined && member.scope.type !== 'global') scope = GLOBAL;
  }
  if (scope !== undefined && !sameScope(scope, member.scope)) {
    if (scope.type === 'restricted' && !state.billingAccounts.has(scope.billingAccountId)) {
      throw invalid('scope.billingAccountId', 'billing_account.not_found', 'No such billing account in this account.');
    }
    events.push({ type: 'MemberScopeChanged', data: { accountId, userId: member.userId, scope, changedBy: data.by } });
  }
  if (changes.displayName !== undefined) {
    const displayName = name('displayName', changes.displayName);
    if (displayName !== member.displayName) {
      events.push({
        type: 'MemberDisplayNameChanged',
        data: { accountId, userId: member.userId, displayName, changedBy: data.by },
      });
    }
  }
  if (changes.mayCreateEnvironments !== undefined && changes.mayCreateEnvironments !== member.mayCreateEnvironments) {
    events.push({
      type: 'EnvironmentCreationChanged',
      data: {
        accountId,
        userId: member.userId,
        mayCreateEnvironments: changes.mayCreateEnvironments,
        changedBy: data.by,
      },
    });
  }
  return events;
}

/**
 * The owner rule, in one place (SEC-9; MEM-7: owners create and remove the owner role; MEM-6: the
 * root owner cannot be removed): only an owner removes a member or takes the owner role from
 * one; any owner may do it to another owner, except to the root, whom nobody removes or demotes.
 * Removing yourself is leaving. Returns the target member.
 */
function mayActOn(state: ActiveAccount, by: string, userId: string, action: 'remove' | 'demote'): Member {
  requireOwner(state, by);
  const member = memberOf(state, userId);
  if (member.userId === state.rootOwnerId) {
    throw conflict(
      'member.root_owner',
      action === 'remove'
        ? 'The root owner cannot be removed; transfer ownership first.'
        : 'The root owner always holds the owner role; transfer ownership first.',
    );
  }
  if (action === 'remove' && member.userId === by)
    throw conflict('member.remove_self', 'To remove yourself, leave the account.');
  return member;
}

function requireOwner(state: ActiveAccount, userId: string): void {
  const actor = state.members.get(userId);
  // Owners alone manage users (MEM-3): a former member acting late is refused too.
  if (!actor || actor.role !== 'owner')
    throw forbidden('users.owner_only', 'Only owners manage the users of an account.');
}

function memberOf(state: ActiveAccount, userId: string): Member {
  const member = state.members.get(userId);
  if (!member) throw notFound('member.not_found', 'No such member in this account.');
  return member;
}

const GLOBAL: Scope = { type: 'global' };

/** AUTHZ-1 + read-only; searched in the list, never as a property, so "constructor" is no role (SEC-1a). */
function isBuiltInRole(role: unknown): role is Role {
  return (ROLES as readonly unknown[]).includes(role);
}

/**
 * A scope rebuilt from its known fields: payloads are hostile, so an unknown type or a restricted
 * scope without a billing account id is refused, and nothing else given is carried into the event.
 */
function scopeOf(scope: Scope): Scope {
  if (scope?.type === 'global') return GLOBAL;
  if (scope?.type === 'restricted' && typeof scope.billingAccountId === 'string')
    return { type: 'restricted', billingAccountId: scope.billingAccountId };
  throw invalid('scope', 'scope.invalid', 'A scope is global, or restricted to one billing account.');
}

function sameScope(a: Scope, b: Scope): boolean {
  return (
    a.type === b.type && (a.type === 'global' || (b.type === 'restricted' && a.billingAccountId === b.billingAccountId))
  );
}

/** A trimmed optional name of 1 to `LIMITS.name` characters; empty means "no name". */
function name(field: string, value: string | null): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalid(field, 'name.invalid', 'A name is text.');
  const trimmed = value.trim();
  if (trimmed.length > LIMITS.name) throw invalid(field, 'name.too_long', `At most ${LIMITS.name} characters.`);
  return trimmed.length === 0 ? null : trimmed;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

/**
 * What one event changes in an account, in O(1): the whole state (created), its root owner, or one
 * entry of one of its Maps. `evolveAccount` applies it copy-on-write; a read model that owns its
 * state (the authorization index) may apply the same change in place, so both fold alike.
 */
export type AccountChange =
  | { readonly kind: 'none' }
  | { readonly kind: 'created'; readonly account: ActiveAccount }
  | { readonly kind: 'rootOwner'; readonly rootOwnerId: string }
  /** `member` null: the member is gone. */
  | { readonly kind: 'member'; readonly userId: string; readonly member: Member | null }
  /** `name` null: the billing account is deleted (MEM-26). */
  | { readonly kind: 'billingAccount'; readonly billingAccountId: string; readonly name: string | null }
  /** `permissions` null: the custom role is deleted (MEM-27). */
  | { readonly kind: 'customRole'; readonly name: string; readonly permissions: readonly string[] | null }
  | { readonly kind: 'renamed'; readonly name: string }
  | { readonly kind: 'closed' };

const NO_CHANGE: AccountChange = { kind: 'none' };

export function accountChange(state: AccountState, event: MembershipEvent): AccountChange {
  if (event.type === 'AccountCreated') {
    const { accountId, name: accountName, rootOwner } = event.data;
    const owner = newMember(rootOwner.userId, rootOwner.email, 'owner', { type: 'global' });
    return {
      kind: 'created',
      account: {
        status: 'active',
        accountId,
        name: accountName,
        rootOwnerId: owner.userId,
        members: new Map([[owner.userId, owner]]),
        billingAccounts: new Map(),
        customRoles: new Map(),
      },
    };
  }
  if (state.status !== 'active') return NO_CHANGE;
  switch (event.type) {
    case 'MemberJoined': {
      const { userId, email, role, scope, permissions, mayCreateEnvironments, accessId, accessExpiresAt } = event.data;
      const member = newMember(userId, email, role, scope);
      return {
        kind: 'member',
        userId,
        member: {
          ...member,
          permissions: permissions ?? [],
          mayCreateEnvironments: mayCreateEnvironments === true,
          accessId,
          ...(accessExpiresAt === undefined ? {} : { accessExpiresAt }),
        },
      };
    }
    case 'MemberRemoved':
    case 'MemberLeft':
      return state.members.has(event.data.userId)
        ? { kind: 'member', userId: event.data.userId, member: null }
        : NO_CHANGE;
    case 'RoleChanged':
      return memberChange(state, event.data.userId, { role: event.data.to });
    case 'MemberPermissionsChanged':
      return memberChange(state, event.data.userId, { permissions: event.data.permissions });
    case 'MemberScopeChanged':
      return memberChange(state, event.data.userId, { scope: event.data.scope });
    case 'MemberDisplayNameChanged':
      return memberChange(state, event.data.userId, { displayName: event.data.displayName });
    case 'AccountDisplayNameChanged':
      return memberChange(state, event.data.userId, { accountDisplayName: event.data.displayName });
    case 'EnvironmentCreationChanged':
      return memberChange(state, event.data.userId, { mayCreateEnvironments: event.data.mayCreateEnvironments });
    case 'OwnershipTransferred':
      return { kind: 'rootOwner', rootOwnerId: event.data.to };
    case 'BillingAccountCreated':
      return { kind: 'billingAccount', billingAccountId: event.data.billingAccountId, name: event.data.name };
    case 'CustomRoleDefined':
      return { kind: 'customRole', name: event.data.name, permissions: event.data.permissions };
    case 'AccountRenamed':
      return { kind: 'renamed', name: event.data.name };
    case 'AccountClosed':
      return { kind: 'closed' };
    case 'BillingAccountRenamed':
      return state.billingAccounts.has(event.data.billingAccountId)
        ? { kind: 'billingAccount', billingAccountId: event.data.billingAccountId, name: event.data.name }
        : NO_CHANGE;
    case 'BillingAccountDeleted':
      return { kind: 'billingAccount', billingAccountId: event.data.billingAccountId, name: null };
    case 'CustomRoleDeleted':
      return { kind: 'customRole', name: event.data.name, permissions: null };
    default:
      return exhaustive(event);
  }
}

/** Every event type an Account folds (what `evolveAccount` reads), for the readers that follow accounts. */
export const ACCOUNT_EVENT_TYPES = [
  'AccountCreated',
  'MemberJoined',
  'MemberRemoved',
  'MemberLeft',
  'RoleChanged',
  'MemberPermissionsChanged',
  'MemberScopeChanged',
  'MemberDisplayNameChanged',
  'AccountDisplayNameChanged',
  'EnvironmentCreationChanged',
  'OwnershipTransferred',
  'BillingAccountCreated',
  'CustomRoleDefined',
  'AccountRenamed',
  'AccountClosed',
  'BillingAccountRenamed',
  'BillingAccountDeleted',
  'CustomRoleDeleted',
] as const satisfies readonly MembershipEvent['type'][];

export function evolveAccount(state: AccountState, event: MembershipEvent): AccountState {
  const change = accountChange(state, event);
  if (change.kind === 'created') return change.account;
  if (change.kind === 'none' || state.status !== 'active') return state;
  switch (change.kind) {
    case 'member': {
      if (change.member) return { ...state, members: withEntry(state.members, change.userId, change.member) };
      const members = new Map(state.members);
      members.delete(change.userId);
      return { ...state, members };
    }
    case 'rootOwner':
      return { ...state, rootOwnerId: change.rootOwnerId };
    case 'billingAccount':
      return {
        ...state,
        billingAccounts:
          change.name === null
            ? withoutEntry(state.billingAccounts, change.billingAccountId)
            : withEntry(state.billingAccounts, change.billingAccountId, { name: change.name }),
      };
    case 'customRole':
      return {
        ...state,
        customRoles:
          change.permissions === null
            ? withoutEntry(state.customRoles, change.name)
            : withEntry(state.customRoles, change.name, change.permissions),
      };
    case 'renamed':
      return { ...state, name: change.name };
    case 'closed':
      return { ...state, closed: true };
    default:
      return exhaustive(change);
  }
}

function newMember(userId: string, email: string, role: string, scope: Scope): Member {
  return {
    userId,
    email,
    role,
    permissions: [],
    scope,
    displayName: null,
    accountDisplayName: null,
    mayCreateEnvironments: false,
  };
}

function memberChange(state: ActiveAccount, userId: string, change: Partial<Member>): AccountChange {
  const member = state.members.get(userId);
  if (!member) return NO_CHANGE;
  return { kind: 'member', userId, member: { ...member, ...change } };
}

/**
 * Copy-on-write: states are values (a decider may keep an old one), so a Map is never changed in
 * place. O(entries) per event, as the object spreads it replaced were.
 */
function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> {
  return new Map(map).set(key, value);
}

function withoutEntry<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

export const accountDecider: Decider<AccountCommand, MembershipEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};
