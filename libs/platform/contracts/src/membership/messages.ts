import type { MemberJoinedData } from './events';
import type { Scope } from '../model';
import type { CommandResult } from '../shared/requests';

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

/** An account as one of its members sees it: "Shared with me" (MEM-19). */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  /** A built-in role or the name of the account's custom role. */
  readonly role: string;
  readonly ownerEmail: string;
  readonly isRootOwner: boolean;
  /** The member's own name for the account (MEM-18). */
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
  /** The owner's name for this member (MEM-17). */
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

/** AUTHZ-15: what support may do for this member, per section. */
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

/** The accounts a user is a member of ("Shared with me"). */
export interface AccountsOfUserPayload {
  readonly userId: string;
}
