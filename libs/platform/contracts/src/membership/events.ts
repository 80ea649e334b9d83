import { Type } from '@sinclair/typebox';
import {
  DateTime,
  Email,
  EVENT_LIMITS,
  Name,
  Nullable,
  Permissions,
  RoleName,
  RoleSchema,
  ScopeSchema,
  Strict,
  Text,
  UserId,
  Uuid,
  type EventData,
} from '../event-schema-blocks';

// The membership context's events: an Account (stream `account-<accountId>`) and the reads made
// under impersonation (stream `impersonation-<adminId>`). Each schema is the one description of its
// event's data; the `…Data` type beside it is derived from it. Names are past tense; a breaking
// change gets a new schemaVersion and an upcaster — these shapes are never edited incompatibly.

const AccountCreated = Strict({
  accountId: Uuid(),
  name: Name(),
  /** The creator: the one root owner (MEM-1), always full permissions, never removable (MEM-6). */
  rootOwner: Strict({ userId: UserId(), email: Email() }),
});
export type AccountCreatedData = EventData<typeof AccountCreated>;

const MemberJoined = Strict({
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  role: RoleSchema,
  scope: ScopeSchema,
  accessId: Uuid(),
  invitationId: Uuid(),
  /** INV-26: the permissions the access granted, expanded; absent = none (and on older events). */
  permissions: Type.Optional(Permissions()),
  /** AUTHZ-16: the access let the member create environments; absent = no (and on older events). */
  mayCreateEnvironments: Type.Optional(Type.Boolean()),
  /** INV-29: when the access they joined through ends (they are removed then); absent = never. */
  accessExpiresAt: Type.Optional(DateTime()),
});
export type MemberJoinedData = EventData<typeof MemberJoined>;

/** MEM-3: an owner removed the member; what they created stays with the account (NOT-3). */
/** Why a member was removed when it was not an owner's decision alone; absent = removed by an owner. */
export const MEMBER_REMOVAL_REASONS = ['access_revoked', 'access_expired', 'account_closed'] as const;
export type MemberRemovalReason = (typeof MEMBER_REMOVAL_REASONS)[number];

const MemberRemoved = Strict({
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  /** Who removed them: the owner, the sharer who revoked the access, or the root owner who closed the account. */
  removedBy: UserId(),
  reason: Type.Optional(Type.Union(MEMBER_REMOVAL_REASONS.map((r) => Type.Literal(r)))),
});
export type MemberRemovedData = EventData<typeof MemberRemoved>;

/** MEM-9: the member left on their own. */
const MemberLeft = Strict({ accountId: Uuid(), userId: UserId(), email: Email() });
export type MemberLeftData = EventData<typeof MemberLeft>;

/** `from`/`to` are a built-in Role or the name of one of the account's custom roles. */
const RoleChanged = Strict({
  accountId: Uuid(),
  userId: UserId(),
  email: Email(),
  from: RoleName(),
  to: RoleName(),
  changedBy: UserId(),
});
export type RoleChangedData = EventData<typeof RoleChanged>;

/** Permissions granted on top of the role, stored EXPANDED (combinations applied at grant time). */
const MemberPermissionsChanged = Strict({
  accountId: Uuid(),
  userId: UserId(),
  permissions: Permissions(),
  changedBy: UserId(),
});
export type MemberPermissionsChangedData = EventData<typeof MemberPermissionsChanged>;

const MemberScopeChanged = Strict({ accountId: Uuid(), userId: UserId(), scope: ScopeSchema, changedBy: UserId() });
export type MemberScopeChangedData = EventData<typeof MemberScopeChanged>;

/** MEM-17: the name the owner sees for this member, beside the e-mail. */
const MemberDisplayNameChanged = Strict({
  accountId: Uuid(),
  userId: UserId(),
  displayName: Nullable(Name()),
  changedBy: UserId(),
});
export type MemberDisplayNameChangedData = EventData<typeof MemberDisplayNameChanged>;

/** MEM-18: the member's own name for the account, in their "Shared with me" (MEM-19). */
const AccountDisplayNameChanged = Strict({ accountId: Uuid(), userId: UserId(), displayName: Nullable(Name()) });
export type AccountDisplayNameChangedData = EventData<typeof AccountDisplayNameChanged>;

/** MEM-17: whether the member may create new environments. */
const EnvironmentCreationChanged = Strict({
  accountId: Uuid(),
  userId: UserId(),
  mayCreateEnvironments: Type.Boolean(),
  changedBy: UserId(),
});
export type EnvironmentCreationChangedData = EventData<typeof EnvironmentCreationChanged>;

/** The root owner role moves to `to`; the previous root stays an owner. */
const OwnershipTransferred = Strict({
  accountId: Uuid(),
  from: UserId('The previous root owner'),
  to: UserId('The new root owner'),
});
export type OwnershipTransferredData = EventData<typeof OwnershipTransferred>;

const BillingAccountCreated = Strict({
  accountId: Uuid(),
  billingAccountId: Uuid(),
  name: Name(),
  createdBy: UserId(),
});
export type BillingAccountCreatedData = EventData<typeof BillingAccountCreated>;

const CustomRoleDefined = Strict({
  accountId: Uuid(),
  name: RoleName(),
  /** Expanded at definition time, like every grant. */
  permissions: Permissions(),
  definedBy: UserId(),
});
export type CustomRoleDefinedData = EventData<typeof CustomRoleDefined>;

/** MEM-21: an owner renamed the account (the name every member sees). */
const AccountRenamed = Strict({ accountId: Uuid(), name: Name(), renamedBy: UserId() });
export type AccountRenamedData = EventData<typeof AccountRenamed>;

/**
 * MEM-22, MEM-23: the root owner closed the account, after every other member was removed (one
 * `MemberRemoved` each, reason `account_closed`, just before). From here on it takes no command
 * (MEM-24); `name` is the name it had, as confirmed by the root owner.
 */
const AccountClosed = Strict({ accountId: Uuid(), name: Name(), closedBy: UserId() });
export type AccountClosedData = EventData<typeof AccountClosed>;

/** MEM-25: an owner renamed a billing account. */
const BillingAccountRenamed = Strict({
  accountId: Uuid(),
  billingAccountId: Uuid(),
  name: Name(),
  renamedBy: UserId(),
});
export type BillingAccountRenamedData = EventData<typeof BillingAccountRenamed>;

/** MEM-26: an owner deleted a billing account nobody was restricted to. */
const BillingAccountDeleted = Strict({ accountId: Uuid(), billingAccountId: Uuid(), deletedBy: UserId() });
export type BillingAccountDeletedData = EventData<typeof BillingAccountDeleted>;

/** MEM-27: an owner deleted a custom role nobody held. */
const CustomRoleDeleted = Strict({ accountId: Uuid(), name: RoleName(), deletedBy: UserId() });
export type CustomRoleDeletedData = EventData<typeof CustomRoleDeleted>;

/**
 * A platform admin impersonating a user read something (SEC-5c): every read made
 * under impersonation is recorded, before it is answered, in stream `impersonation-<adminId>`.
 */
const ImpersonatedReadRecorded = Strict({
  accountId: Nullable(Uuid('The account read, or null for an account-less route')),
  impersonatorId: UserId('The impersonating platform admin'),
  userId: UserId('The user being impersonated'),
  route: Text(
    1,
    EVENT_LIMITS.route,
    'The route pattern, e.g. `GET /v1/accounts/:accountId/members` (never the query string)',
  ),
});
export type ImpersonatedReadRecordedData = EventData<typeof ImpersonatedReadRecorded>;

export type MembershipEvent =
  | { readonly type: 'AccountCreated'; readonly data: AccountCreatedData }
  | { readonly type: 'MemberJoined'; readonly data: MemberJoinedData }
  | { readonly type: 'MemberRemoved'; readonly data: MemberRemovedData }
  | { readonly type: 'MemberLeft'; readonly data: MemberLeftData }
  | { readonly type: 'RoleChanged'; readonly data: RoleChangedData }
  | { readonly type: 'MemberPermissionsChanged'; readonly data: MemberPermissionsChangedData }
  | { readonly type: 'MemberScopeChanged'; readonly data: MemberScopeChangedData }
  | { readonly type: 'MemberDisplayNameChanged'; readonly data: MemberDisplayNameChangedData }
  | { readonly type: 'AccountDisplayNameChanged'; readonly data: AccountDisplayNameChangedData }
  | { readonly type: 'EnvironmentCreationChanged'; readonly data: EnvironmentCreationChangedData }
  | { readonly type: 'OwnershipTransferred'; readonly data: OwnershipTransferredData }
  | { readonly type: 'BillingAccountCreated'; readonly data: BillingAccountCreatedData }
  | { readonly type: 'CustomRoleDefined'; readonly data: CustomRoleDefinedData }
  | { readonly type: 'AccountRenamed'; readonly data: AccountRenamedData }
  | { readonly type: 'AccountClosed'; readonly data: AccountClosedData }
  | { readonly type: 'BillingAccountRenamed'; readonly data: BillingAccountRenamedData }
  | { readonly type: 'BillingAccountDeleted'; readonly data: BillingAccountDeletedData }
  | { readonly type: 'CustomRoleDeleted'; readonly data: CustomRoleDeletedData };

/** Kept apart from the Account's events: no account state depends on them. */
export type ImpersonationEvent = {
  readonly type: 'ImpersonatedReadRecorded';
  readonly data: ImpersonatedReadRecordedData;
};

/** The schema of each membership event's data, in the order docs/events.md lists them. */
export const MEMBERSHIP_EVENT_SCHEMAS = {
  AccountCreated,
  MemberJoined,
  MemberRemoved,
  MemberLeft,
  RoleChanged,
  MemberPermissionsChanged,
  MemberScopeChanged,
  MemberDisplayNameChanged,
  AccountDisplayNameChanged,
  EnvironmentCreationChanged,
  OwnershipTransferred,
  BillingAccountCreated,
  CustomRoleDefined,
  AccountRenamed,
  AccountClosed,
  BillingAccountRenamed,
  BillingAccountDeleted,
  CustomRoleDeleted,
  ImpersonatedReadRecorded,
} as const;
