import type { PagePayload } from '../paging';
import type { Scope } from '../model';
import type { CommandResult } from '../shared/requests';

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

/**
 * A new secret for the token, by whoever may revoke it (its user or an owner). The previous secret
 * keeps working for `graceHours` (0 to 24, default 0 = stops at once).
 */
export interface RotateTokenPayload {
  readonly accountId: string;
  readonly tokenId: string;
  readonly graceHours?: number;
}

/** The new secret is in this reply once, and nowhere else, ever. */
export interface TokenRotatedResult extends CommandResult {
  readonly id: string;
  readonly token: string;
  readonly prefix: string;
  readonly expiresAt: string | null;
  readonly rotatedAt: string;
  /** Until when the previous secret still works (equal to `rotatedAt` with no grace). */
  readonly graceEndsAt: string;
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
  /** When the secret was last rotated (`prefix` is the current secret's); null if never. */
  readonly rotatedAt: string | null;
}

/** A token's state as the list filters it: usable, revoked, or past its expiry. */
export const TOKEN_STATUSES = ['active', 'revoked', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export interface ListTokensPayload extends PagePayload {
  readonly accountId: string;
  /** Only this user's tokens (non-owners see their own). */
  readonly userId?: string;
  /** Only tokens in this state. */
  readonly status?: TokenStatus;
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

/** One token of the account; with `userId`, only if it is that user's (as the list filters). */
export interface GetTokenPayload {
  readonly accountId: string;
  readonly tokenId: string;
  readonly userId?: string;
}

/** The account's API token policy (TOK-6); `maxLifetimeDays` null = no maximum. */
export interface TokenPolicyView {
  readonly accountId: string;
  readonly maxLifetimeDays: number | null;
}
