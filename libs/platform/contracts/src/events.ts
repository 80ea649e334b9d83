import type { AccessType, Role, Scope } from './model';

// Public event data, by bounded context. Names are past tense; a breaking change gets a new
// schemaVersion and an upcaster — these shapes are never edited incompatibly.

// ---- membership context (stream `account-<accountId>`) ----

export interface AccountCreatedData {
  readonly accountId: string;
  readonly name: string;
  /** The creator: the one root owner (seed 002), always full permissions, never removable. */
  readonly rootOwner: { readonly userId: string; readonly email: string };
}

export interface MemberJoinedData {
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly scope: Scope;
  readonly accessId: string;
  readonly invitationId: string;
}

/** Seed 001 "Unlink": an owner removed the member; what they created stays with the account. */
export interface MemberRemovedData {
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly removedBy: string;
}

/** Seed 001 "Leave": the member left on their own. */
export interface MemberLeftData {
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
}

/** `from`/`to` are a built-in Role or the name of one of the account's custom roles. */
export interface RoleChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly from: string;
  readonly to: string;
  readonly changedBy: string;
}

/** Permissions granted on top of the role, stored EXPANDED (combinations applied at grant time). */
export interface MemberPermissionsChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly permissions: readonly string[];
  readonly changedBy: string;
}

export interface MemberScopeChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly scope: Scope;
  readonly changedBy: string;
}

/** Seed 001 "Edit": the name the owner sees for this member, beside the e-mail. */
export interface MemberDisplayNameChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly changedBy: string;
}

/** Seed 001 "Edit Name": the member's own name for the account, in their "Shared with me". */
export interface AccountDisplayNameChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly displayName: string | null;
}

/** Seed 001 "Allow user to create new environments". */
export interface EnvironmentCreationChangedData {
  readonly accountId: string;
  readonly userId: string;
  readonly mayCreateEnvironments: boolean;
  readonly changedBy: string;
}

/** The root owner role moves to `to`; the previous root stays an owner. */
export interface OwnershipTransferredData {
  readonly accountId: string;
  readonly from: string;
  readonly to: string;
}

export interface BillingAccountCreatedData {
  readonly accountId: string;
  readonly billingAccountId: string;
  readonly name: string;
  readonly createdBy: string;
}

export interface CustomRoleDefinedData {
  readonly accountId: string;
  readonly name: string;
  /** Expanded at definition time, like every grant. */
  readonly permissions: readonly string[];
  readonly definedBy: string;
}

/**
 * A platform admin impersonating a user read something (seed 000 "For Admins"): every read made
 * under impersonation is recorded, before it is answered, in stream `impersonation-<adminId>`.
 */
export interface ImpersonatedReadRecordedData {
  /** The account read, or null for an account-less route (the user's account list, inbox). */
  readonly accountId: string | null;
  readonly impersonatorId: string;
  /** The user being impersonated. */
  readonly userId: string;
  /** The route's pattern, e.g. `GET /v1/accounts/:accountId/members` (never the query string). */
  readonly route: string;
}

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
  | { readonly type: 'CustomRoleDefined'; readonly data: CustomRoleDefinedData };

/** Kept apart from the Account's events: no account state depends on them. */
export type ImpersonationEvent = { readonly type: 'ImpersonatedReadRecorded'; readonly data: ImpersonatedReadRecordedData };

// ---- invitation context (stream `access-<accountId>`: every Access and Invitation of one account,
// so rules across invitations — one pending invitation per e-mail, the daily quota — are decided
// by one decider under optimistic concurrency) ----

/**
 * An invitation link, without its secret. The token mailed to the recipient is
 * HMAC-SHA256(link key, nonce) (libs/invitation-links); events keep the random nonce, from which
 * nobody without the key can compute the token, and the token's SHA-256 for look-ups.
 */
export interface InvitationLink {
  /** ≥ 128 random bits, base64url. */
  readonly nonce: string;
  /** SHA-256 of the token, hex. */
  readonly tokenHash: string;
}

export interface InvitationRecipient {
  readonly invitationId: string;
  /** As typed by the sharer (trimmed); compared with `normalizeEmail`. */
  readonly email: string;
  readonly link: InvitationLink;
}

export interface AccessSharedData {
  readonly accessId: string;
  readonly accountId: string;
  /** Seen by the sharer only (seed 000 "Access name"). */
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly recipients: readonly InvitationRecipient[];
  readonly message: string | null;
  readonly sharedBy: string;
  /** ISO-8601 UTC: when the invitations of this share stop being acceptable (until a resend). */
  readonly expiresAt: string;
}

/** Fields every invitation event carries, so consumers need no other state to act on it. */
export interface InvitationRef {
  readonly accessId: string;
  readonly accountId: string;
  readonly invitationId: string;
  readonly email: string;
}

export interface InvitationAcceptedData extends InvitationRef {
  readonly userId: string;
  readonly role: Role;
  readonly scope: Scope;
  /** Seed 000 "Access Types"; absent on events stored before API-token accesses existed. */
  readonly accessType?: AccessType;
}

/** Seed 004 "Resend": a new link and a new expiry; the old link is dead. */
export interface InvitationResentData extends InvitationRef {
  readonly link: InvitationLink;
  readonly expiresAt: string;
  readonly resentBy: string;
}

/**
 * `inviter_removed`: stored before issue 8 when a removed owner's invitations were revoked;
 * `inviter_lost_rights`: the inviter left, was removed or lost the owner role (an invitation dies
 * with its sender's right to send it).
 */
export type InvitationRevocationReason = 'revoked_by_owner' | 'inviter_removed' | 'inviter_lost_rights';

/** Seed 002 "Remove pending invitation": the link can no longer be used. */
export interface InvitationRevokedData extends InvitationRef {
  readonly revokedBy: string;
  readonly reason: InvitationRevocationReason;
}

export interface InvitationDeclinedData extends InvitationRef {
  readonly userId: string;
}

export interface InvitationExpiredData extends InvitationRef {
  readonly expiredAt: string;
}

/** Per-account invitation policy (issue 3): link validity between 1 hour and 30 days. */
export interface InvitationSettingsChangedData {
  readonly accountId: string;
  readonly expiryHours: number;
  readonly changedBy: string;
}

export type InvitationEvent =
  | { readonly type: 'AccessShared'; readonly data: AccessSharedData }
  | { readonly type: 'InvitationAccepted'; readonly data: InvitationAcceptedData }
  | { readonly type: 'InvitationResent'; readonly data: InvitationResentData }
  | { readonly type: 'InvitationRevoked'; readonly data: InvitationRevokedData }
  | { readonly type: 'InvitationDeclined'; readonly data: InvitationDeclinedData }
  | { readonly type: 'InvitationExpired'; readonly data: InvitationExpiredData }
  | { readonly type: 'InvitationSettingsChanged'; readonly data: InvitationSettingsChangedData };

// ---- token context (stream `token-<tokenId>`; the account's policy in `token-policy-<accountId>`) ----

/**
 * An API token: its user's permissions, or a narrower set, never more. Only the SHA-256 of the
 * secret and a short display prefix are ever stored. `permissions`/`scope` null = "as the user".
 */
export interface ApiTokenIssuedData {
  readonly tokenId: string;
  readonly accountId: string;
  readonly userId: string;
  /** The user's e-mail when the token was issued (for display and audit). */
  readonly email: string;
  readonly name: string;
  /** First characters of the secret (`acc_` + 4), enough to recognise it in a list. */
  readonly prefix: string;
  /** SHA-256 of the whole secret, hex. */
  readonly tokenHash: string;
  /** Expanded; null means the user's own permissions, whatever they are at each check. */
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
  readonly expiresAt: string | null;
  /** Issued through the API, or by accepting an access of type `api_token` (seed 000). */
  readonly issuedVia: 'api' | 'access';
  /** With `issuedVia: 'access'`: the accepted invitation (absent on tokens issued before issue 8). */
  readonly invitationId?: string;
}

/** `replaced`: a newer token was issued for the same invitation (its secret may never have arrived). */
export type ApiTokenRevocationReason = 'revoked_by_user' | 'revoked_by_owner' | 'member_removed' | 'member_left' | 'replaced';

export interface ApiTokenRevokedData {
  readonly tokenId: string;
  readonly accountId: string;
  readonly userId: string;
  readonly reason: ApiTokenRevocationReason;
  readonly revokedBy: string;
}

/** Issue 5: an account-wide maximum token lifetime (null = no maximum). */
export interface TokenPolicyChangedData {
  readonly accountId: string;
  readonly maxLifetimeDays: number | null;
  readonly changedBy: string;
}

export type TokenEvent =
  | { readonly type: 'ApiTokenIssued'; readonly data: ApiTokenIssuedData }
  | { readonly type: 'ApiTokenRevoked'; readonly data: ApiTokenRevokedData }
  | { readonly type: 'TokenPolicyChanged'; readonly data: TokenPolicyChangedData };

// ---- notification context (stream `notification-<id>`) ----

export type NotificationKind =
  | 'invitation'
  | 'invitation_resent'
  | 'member_removed'
  | 'member_left'
  | 'role_changed';

/** A delivery outcome, so an invitation's history shows whether its e-mail went out. */
export interface NotificationSentData {
  readonly notificationId: string;
  readonly accountId: string;
  readonly kind: NotificationKind;
  readonly channel: 'email';
  readonly to: string;
  /** The event that caused this notification (its id; dedup key together with `to`). */
  readonly causeEventId: string;
  readonly attempt: number;
}

export interface NotificationFailedData extends NotificationSentData {
  /** Short, secret-free reason (SMTP code and class), never the message body. */
  readonly reason: string;
  readonly willRetry: boolean;
}

export type NotificationEvent =
  | { readonly type: 'NotificationSent'; readonly data: NotificationSentData }
  | { readonly type: 'NotificationFailed'; readonly data: NotificationFailedData };

export type AccordEvent = MembershipEvent | ImpersonationEvent | InvitationEvent | TokenEvent | NotificationEvent;
export type AccordEventType = AccordEvent['type'];

/** Which bounded context owns an event type: the middle part of its NATS subject. */
export const EVENT_CONTEXT: Readonly<Record<AccordEventType, 'membership' | 'invitation' | 'token' | 'notification'>> = {
  AccountCreated: 'membership',
  MemberJoined: 'membership',
  MemberRemoved: 'membership',
  MemberLeft: 'membership',
  RoleChanged: 'membership',
  MemberPermissionsChanged: 'membership',
  MemberScopeChanged: 'membership',
  MemberDisplayNameChanged: 'membership',
  AccountDisplayNameChanged: 'membership',
  EnvironmentCreationChanged: 'membership',
  OwnershipTransferred: 'membership',
  BillingAccountCreated: 'membership',
  CustomRoleDefined: 'membership',
  ImpersonatedReadRecorded: 'membership',
  AccessShared: 'invitation',
  InvitationAccepted: 'invitation',
  InvitationResent: 'invitation',
  InvitationRevoked: 'invitation',
  InvitationDeclined: 'invitation',
  InvitationExpired: 'invitation',
  InvitationSettingsChanged: 'invitation',
  ApiTokenIssued: 'token',
  ApiTokenRevoked: 'token',
  TokenPolicyChanged: 'token',
  NotificationSent: 'notification',
  NotificationFailed: 'notification',
};

/** Stream naming `<category>-<id>` (DESIGN.md). */
export const streams = {
  account: (accountId: string) => `account-${accountId}`,
  /** All accesses and invitations of one account. */
  access: (accountId: string) => `access-${accountId}`,
  notification: (notificationId: string) => `notification-${notificationId}`,
  token: (tokenId: string) => `token-${tokenId}`,
  tokenPolicy: (accountId: string) => `token-policy-${accountId}`,
  /** Reads a platform admin made while impersonating users. */
  impersonation: (impersonatorId: string) => `impersonation-${impersonatorId}`,
} as const;

/** The account an event belongs to, for the envelope's `accountId`. */
export function accountIdOf(event: AccordEvent): string | null {
  return event.data.accountId;
}

/** The data of one event type: `EventDataOf<'MemberJoined'>` is `MemberJoinedData`. */
export type EventDataOf<T extends AccordEventType> = Extract<AccordEvent, { readonly type: T }>['data'];
