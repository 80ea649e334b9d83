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
