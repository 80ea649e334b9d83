import type { CommandMetadata } from './envelope';
import type { MemberJoinedData } from './events';
import type { AccessType, InvitationStatus, Person, Role, Scope } from './model';

/**
 * Request/reply subjects. Commands: `accord.cmd.<service>.<name>`; queries: `accord.query.…`.
 * Each service listens in its own queue group, so any number of replicas share the load.
 */
export const subjects = {
  membership: {
    createAccount: 'accord.cmd.membership.create-account',
    addMember: 'accord.cmd.membership.add-member',
    changeMember: 'accord.cmd.membership.change-member',
    nameAccount: 'accord.cmd.membership.name-account',
    removeMember: 'accord.cmd.membership.remove-member',
    leaveAccount: 'accord.cmd.membership.leave-account',
    transferOwnership: 'accord.cmd.membership.transfer-ownership',
    createBillingAccount: 'accord.cmd.membership.create-billing-account',
    defineCustomRole: 'accord.cmd.membership.define-custom-role',
    accountsOfUser: 'accord.query.membership.accounts-of-user',
    membersOfAccount: 'accord.query.membership.members-of-account',
    billingAccounts: 'accord.query.membership.billing-accounts',
    customRoles: 'accord.query.membership.custom-roles',
    memberAccess: 'accord.query.membership.member-access',
    /** Facts other services check their own rules against (services trust nothing they can check). */
    grantFacts: 'accord.query.membership.grant-facts',
    recordImpersonatedRead: 'accord.cmd.membership.record-impersonated-read',
  },
  invitation: {
    shareAccess: 'accord.cmd.invitation.share-access',
    acceptInvitation: 'accord.cmd.invitation.accept-invitation',
    acceptByToken: 'accord.cmd.invitation.accept-by-token',
    declineInvitation: 'accord.cmd.invitation.decline-invitation',
    resendInvitation: 'accord.cmd.invitation.resend-invitation',
    revokeInvitation: 'accord.cmd.invitation.revoke-invitation',
    changeSettings: 'accord.cmd.invitation.change-settings',
    invitationByToken: 'accord.query.invitation.invitation-by-token',
    accessesOfAccount: 'accord.query.invitation.accesses-of-account',
    invitationsForEmail: 'accord.query.invitation.invitations-for-email',
  },
  token: {
    issue: 'accord.cmd.token.issue',
    revoke: 'accord.cmd.token.revoke',
    setPolicy: 'accord.cmd.token.set-policy',
    list: 'accord.query.token.list',
    verify: 'accord.query.token.verify',
  },
  notification: {
    inbox: 'accord.query.notification.inbox',
    markRead: 'accord.cmd.notification.mark-read',
  },
  authz: {
    check: 'accord.authz.check',
  },
  /**
   * Readiness details of each service process (issue 8, rule 3): every replica answers with its
   * own health registry (`HealthReport` of @accord/runtime); the gateway aggregates them for
   * `GET /health`. Keys are those of `queueGroups`.
   */
  health: {
    membership: 'accord.health.membership',
    invitation: 'accord.health.invitation',
    notification: 'accord.health.notification',
    token: 'accord.health.token',
  },
} as const;

export const queueGroups = {
  membership: 'membership-service',
  invitation: 'invitation-service',
  notification: 'notification-service',
  token: 'token-service',
} as const;

/** Every command travels with who/when/why; the service stamps them on the events. */
export interface CommandRequest<P> {
  readonly metadata: CommandMetadata;
  readonly payload: P;
  /** For commands that find their stream through a read model (e.g. accept by invitation id). */
  readonly minPosition?: number;
}

/** Queries may ask for read-your-writes: wait until the read model reached this position. */
export interface QueryRequest<P> {
  readonly payload: P;
  readonly minPosition?: number;
}

/** A command's reply: the store position of the last event it appended (or the current one). */
export interface CommandResult {
  readonly position: number;
}

// ---- membership ----

export interface CreateAccountPayload {
  readonly name: string;
  readonly owner: { readonly userId: string; readonly email: string };
}
export interface AccountCreatedResult extends CommandResult {
  readonly id: string;
  readonly name: string;
}

/** Adding a member carries exactly what `MemberJoined` will record. */
export type AddMemberPayload = MemberJoinedData;

/** An account as one of its members sees it: "Shared with me" (seed 001). */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  /** A built-in role or the name of the account's custom role. */
  readonly role: string;
  readonly ownerEmail: string;
  readonly isRootOwner: boolean;
  /** The member's own name for the account (seed 001 "Edit Name"). */
  readonly displayName: string | null;
  readonly mayCreateEnvironments: boolean;
  readonly scope: Scope;
}

export interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly status: 'active';
  readonly isRootOwner: boolean;
  readonly scope: Scope;
  readonly joinedAt: string;
  /** The owner's name for this member (seed 001). */
  readonly displayName: string | null;
  readonly permissions: readonly string[];
  readonly mayCreateEnvironments: boolean;
}

export interface ChangeMemberPayload {
  readonly accountId: string;
  readonly userId: string;
  readonly role?: string;
  readonly permissions?: readonly string[];
  readonly scope?: Scope;
  readonly displayName?: string | null;
  readonly mayCreateEnvironments?: boolean;
}

export interface MemberRefPayload {
  readonly accountId: string;
  readonly userId: string;
}

export interface NameAccountPayload {
  readonly accountId: string;
  readonly displayName: string | null;
}

export interface AccountPayload {
  readonly accountId: string;
}

export interface CreateBillingAccountPayload {
  readonly accountId: string;
  readonly name: string;
}

export interface BillingAccountView {
  readonly id: string;
  readonly name: string;
}

export interface DefineCustomRolePayload {
  readonly accountId: string;
  readonly name: string;
  readonly permissions: readonly string[];
}

export interface CustomRoleView {
  readonly name: string;
  readonly permissions: readonly string[];
}

export type SupportAccessLevel = 'management' | 'read only' | 'none';

/** Seed 003 "Contacting Support": what support may do for this member, per section. */
export interface MemberAccessView {
  readonly userId: string;
  readonly role: string;
  readonly sections: Readonly<Record<string, SupportAccessLevel>>;
}

export interface AuthzCheckPayload {
  /** The user asked about; for a request made with an API token, pass `tokenId` (and any userId). */
  readonly userId: string;
  /** Ask about an API token: its effective permissions are the token's ∩ its user's current ones. */
  readonly tokenId?: string;
  readonly accountId: string;
  readonly permission: string;
  readonly billingAccountId?: string;
  /**
   * Before answering "no", let the index catch up with the store (one store read, on denials
   * only). The gateway's route guards set it so that an owner is never turned away right after
   * creating an account; internal services' checks stay memory-only.
   */
  readonly confirmDenial?: boolean;
}
export interface AuthzDecision {
  readonly allowed: boolean;
  readonly reason: string;
  /** The member's role when they are one; absent when the user is not a member. */
  readonly role?: string;
  /** The member's scope (a token's never exceeds it). */
  readonly scope?: Scope;
}

/**
 * What another context needs to know about a user in an account to decide its own rules itself
 * (the invitation service: may this user share, does the billing account exist; the token service:
 * may this user revoke others' tokens, does a token ask more than its user holds).
 */
export interface GrantFactsPayload {
  readonly accountId: string;
  readonly userId: string;
  /** Permissions to check for the user, answered in `held` in the same order. */
  readonly permissions?: readonly string[];
  /** Check `permissions` within this billing account (else within the user's own scope). */
  readonly billingAccountId?: string;
}
export interface GrantFacts {
  /** False when the account does not exist or the user is not a member. */
  readonly member: boolean;
  readonly role: string | null;
  /** Holds the owner role (owners alone manage users, share access and revoke others' tokens). */
  readonly owner: boolean;
  readonly rootOwner: boolean;
  readonly scope: Scope | null;
  /** Every billing account of the account (empty when not a member). */
  readonly billingAccountIds: readonly string[];
  /** `held[i]`: the user holds `permissions[i]` (within `billingAccountId` when given). */
  readonly held: readonly boolean[];
}

/** Sent by the gateway before it answers a read made under impersonation (the actor says who). */
export interface RecordImpersonatedReadPayload {
  readonly accountId: string | null;
  readonly route: string;
}

// ---- invitation ----

export interface ShareAccessPayload {
  readonly accountId: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly recipients: readonly string[];
  readonly message?: string;
}
export interface AccessSharedResult extends CommandResult {
  readonly id: string;
  readonly invitations: readonly { readonly id: string; readonly email: string; readonly status: InvitationStatus }[];
  readonly expiresAt: string;
}

export interface AcceptInvitationPayload {
  readonly invitationId: string;
  readonly person: Person;
}
export interface InvitationAcceptedResult extends CommandResult {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  /**
   * Set on every accept, first or repeated, by the person who accepted an access of type
   * `api_token` (seed 000): the gateway then issues the recipient an API token for `invitationId`
   * with this scope and returns its secret. A retried accept says it again, so a failure between
   * accept and issue never loses the token; the token service keeps one live token per invitation.
   */
  readonly issueApiToken?: { readonly accessId: string; readonly invitationId: string; readonly scope: Scope };
  /** The API token issued for an `api_token` access: its secret, shown this once. */
  readonly apiToken?: { readonly id: string; readonly token: string; readonly prefix: string };
}

export interface AccessView {
  readonly id: string;
  readonly name: string;
  readonly type: AccessType;
  readonly scope: Scope;
  readonly role: Role;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly expiresAt: string;
  readonly recipients: readonly {
    readonly email: string;
    readonly invitationId: string;
    readonly status: InvitationStatus;
    readonly expiresAt: string;
  }[];
}

/** What a recipient sees: never the access name (seed 000). */
export interface MyInvitationView {
  readonly id: string;
  readonly accountId: string;
  readonly role: Role;
  readonly scope: Scope;
  readonly status: InvitationStatus;
  readonly message: string | null;
  readonly expiresAt: string;
}

// ---- notification (in-app inbox) ----

export interface InboxNotificationView {
  readonly id: string;
  readonly kind: 'access_shared' | 'member_removed' | 'role_changed';
  readonly accountId: string;
  /** Human sentence, e.g. "Olivia shared access to Acme with you (administrator)." */
  readonly text: string;
  readonly createdAt: string;
  readonly read: boolean;
}

export interface InboxView {
  readonly unread: number;
  /** Newest first. */
  readonly notifications: readonly InboxNotificationView[];
}

/** The inbox belongs to a verified e-mail address (a person may not have an account yet). */
export interface InboxPayload {
  readonly email: string;
}

export interface MarkReadPayload {
  readonly email: string;
  readonly notificationId: string;
}

// ---- invitation lifecycle (issue 3) ----

/** The e-mailed link's token; only its SHA-256 is ever stored. */
export interface AcceptByTokenPayload {
  readonly token: string;
  readonly person: Person;
}

export interface DeclineInvitationPayload {
  readonly invitationId: string;
  readonly person: Person;
}

/** Owner actions on one invitation of their account. */
export interface InvitationAdminPayload {
  readonly accountId: string;
  readonly invitationId: string;
}

export interface InvitationChangedResult extends CommandResult {
  readonly invitationId: string;
  readonly accountId: string;
  readonly status: InvitationStatus;
  readonly expiresAt?: string;
}

export interface ChangeInvitationSettingsPayload {
  readonly accountId: string;
  readonly expiryHours: number;
}
export interface InvitationSettingsResult extends CommandResult {
  readonly accountId: string;
  readonly expiryHours: number;
}

export interface InvitationByTokenPayload {
  readonly token: string;
}

/** What the link shows before anyone accepts (viewing never consumes it). */
export interface InvitationLinkView {
  readonly invitationId: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly inviterEmail: string | null;
  readonly role: Role;
  readonly scope: Scope;
  readonly message: string | null;
  readonly expiresAt: string;
}

// ---- API tokens (issue 5) ----

export interface IssueTokenPayload {
  /** How the token came to be: the API, or accepting an access of type `api_token`. */
  readonly issuedVia?: 'api' | 'access';
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  /** Narrower than the user's (the token service checks it); omitted = as the user. */
  readonly permissions?: readonly string[];
  readonly scope?: Scope;
  readonly expiresAt?: string;
  /**
   * With `issuedVia: 'access'`: the accepted invitation the token is for. One live token per
   * invitation: issuing again (a retried accept whose secret may never have arrived) revokes the
   * previous token (`replaced`) and issues a new one.
   */
  readonly invitationId?: string;
}

/** The secret is in this reply once, and nowhere else, ever. */
export interface TokenIssuedResult extends CommandResult {
  readonly id: string;
  readonly token: string;
  readonly prefix: string;
  readonly name: string;
  readonly expiresAt: string | null;
}

/** By the token's user, or by an owner of its account (the token service asks who is an owner). */
export interface RevokeTokenPayload {
  readonly accountId: string;
  readonly tokenId: string;
}

export interface TokenPolicyPayload {
  readonly accountId: string;
  readonly maxLifetimeDays: number | null;
}

export interface TokenView {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly prefix: string;
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revoked: boolean;
}

export interface ListTokensPayload {
  readonly accountId: string;
  /** Only this user's tokens (non-owners see their own). */
  readonly userId?: string;
}

export interface VerifyTokenPayload {
  readonly token: string;
}

/** Who a valid API token acts for. Invalid, revoked and expired tokens are `unauthenticated`. */
export interface VerifiedToken {
  readonly tokenId: string;
  readonly accountId: string;
  readonly userId: string;
  readonly email: string;
  readonly permissions: readonly string[] | null;
  readonly scope: Scope | null;
}
