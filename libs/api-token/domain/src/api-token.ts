import {
  DomainError,
  LIMITS,
  addHours,
  conflict,
  exhaustive,
  forbidden,
  gone,
  invalid,
  isAtOrBefore,
  notFound,
  type Actor,
  type ApiTokenIssuedData,
  type ApiTokenRevocationReason,
  type Decider,
  type Scope,
  type ApiTokenEvent,
} from '@accord/contracts';

// The API token aggregate (stream `token-<tokenId>`) and the account's token policy (stream
// `token-policy-<accountId>`). TOK-1: a token holds its user's permissions or fewer; the
// authorization check intersects it with the user's CURRENT rights (TOK-2), so it is never wider.
//
// Services trust nothing they can check (SEC-10c): every rule below is decided here from facts the
// token service gathered itself (the membership service's answer about the user), never from the
// gateway's word. The gateway may refuse earlier, as a fast path.

/** Who sent a command: the user and how they are signed in. */
export type CommandActor = Pick<Actor, 'userId' | 'via'>;

/** What the membership service says about the token's user in the token's account, right now. */
export interface IssuerFacts {
  /** False when the account does not exist or the user is not a member of it. */
  readonly member: boolean;
  /** The user's own scope (null when not a member). */
  readonly scope: Scope | null;
  /** Every billing account of the account. */
  readonly billingAccountIds: readonly string[];
  /** `held[i]`: the user holds `permissions[i]` within the token's billing account (else their own scope). */
  readonly held: readonly boolean[];
  /** MEM-24: the account is closed: it gets no new token. */
  readonly accountClosed?: boolean;
}

/** What `ApiTokenIssued` will record, plus the policy in force (null = no maximum), the time and the facts. */
export type IssueData = ApiTokenIssuedData & {
  readonly maxLifetimeDays: number | null;
  readonly now: string;
  readonly actor: CommandActor;
  readonly issuer: IssuerFacts;
};

export type ApiTokenCommand =
  | { readonly type: 'IssueApiToken'; readonly data: IssueData }
  /**
   * Sent to the token an invitation's previous issue produced, before issuing its successor: the
   * same rules as the successor's issue, so a refused issue never costs the user their token.
   */
  | { readonly type: 'ReplaceApiToken'; readonly data: IssueData }
  | {
      readonly type: 'RevokeApiToken';
      /** `byOwner`: the membership service says `by` owns `accountId` — which says nothing about other accounts. */
      readonly data: {
        readonly accountId: string;
        readonly by: string;
        readonly via: Actor['via'];
        readonly byOwner: boolean;
      };
    }
  | { readonly type: 'RotateApiToken'; readonly data: RotateData }
  | {
      readonly type: 'RevokeForMember';
      readonly data: {
        readonly userId: string;
        readonly reason: 'member_removed' | 'member_left' | 'account_closed';
        readonly by: string;
      };
    };

/**
 * A new secret for a token: `prefix` and `tokenHash` are the new secret's (minted by the service),
 * `byOwner` as for a revoke, `now` the service's clock.
 */
export interface RotateData {
  readonly accountId: string;
  readonly by: string;
  readonly via: Actor['via'];
  readonly byOwner: boolean;
  readonly graceHours: number;
  readonly now: string;
  readonly prefix: string;
  readonly tokenHash: string;
}

export type ApiTokenState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'revoked';
      readonly tokenId: string;
      readonly accountId: string;
      readonly userId: string;
      /** The invitation an `api_token` access issued it for; null for tokens issued through the API. */
      readonly invitationId: string | null;
      /** The token's expiry (null = none): a rotation never outlives it. */
      readonly expiresAt: string | null;
    };

type Existing = Extract<ApiTokenState, { tokenId: string }>;

export function decideApiToken(command: ApiTokenCommand, state: ApiTokenState): ApiTokenEvent[] {
  switch (command.type) {
    case 'IssueApiToken':
      return [issueApiToken(command.data, state)];
    case 'ReplaceApiToken':
      return replaceApiToken(command.data, state);
    case 'RevokeApiToken':
      return revokeApiToken(command.data, state);
    case 'RotateApiToken':
      return [rotateApiToken(command.data, state)];
    case 'RevokeForMember': {
      if (state.status !== 'active' || state.userId !== command.data.userId) return [];
      return [revoked(state, command.data.reason, command.data.by)];
    }
    default:
      return exhaustive(command);
  }
}

/** A new token: refused unless its user may hold it (never more than the user, never by a token). */
export function issueApiToken(d: IssueData, state: ApiTokenState): Extract<ApiTokenEvent, { type: 'ApiTokenIssued' }> {
  if (state.status !== 'none') throw conflict('token.exists', 'This token already exists.');
  refuseUnlessIssuable(d);
  const name = d.name.trim();
  return {
    type: 'ApiTokenIssued',
    data: {
      tokenId: d.tokenId,
      accountId: d.accountId,
      userId: d.userId,
      email: d.email,
      name,
      prefix: d.prefix,
      tokenHash: d.tokenHash,
      permissions: d.permissions === null ? null : [...new Set(d.permissions)].sort(),
      scope: d.scope,
      // With a policy and no expiry asked, the token lives as long as the policy allows.
      expiresAt: d.expiresAt ?? maxExpiryOf(d),
      issuedVia: d.issuedVia,
      ...(d.invitationId === undefined ? {} : { invitationId: d.invitationId }),
    },
  };
}

/**
 * The previous token of an invitation gives way to a new one (its secret may never have reached
 * the user). Only when the new token may be issued, and only a token of that invitation and user.
 */
export function replaceApiToken(d: IssueData, state: ApiTokenState): ApiTokenEvent[] {
  refuseUnlessIssuable(d);
  if (state.status === 'none') throw notFound('token.not_found', 'No such token.');
  if (
    state.invitationId === null ||
    state.invitationId !== d.invitationId ||
    state.userId !== d.userId ||
    state.accountId !== d.accountId
  ) {
    throw conflict('token.invitation_mismatch', 'This token was not issued for this invitation.');
  }
  if (state.status === 'revoked') return [];
  return [revoked(state, 'replaced', d.actor.userId)];
}

export function revokeApiToken(
  d: Extract<ApiTokenCommand, { type: 'RevokeApiToken' }>['data'],
  state: ApiTokenState,
): ApiTokenEvent[] {
  if (d.via === 'impersonation') throw impersonationForbidden();
  refuseUnlessRevocableBy(d, state);
  if (state.status === 'revoked') return [];
  const reason: ApiTokenRevocationReason = state.userId === d.by ? 'revoked_by_user' : 'revoked_by_owner';
  return [revoked(state, reason, d.by)];
}

/**
 * TOK-16: a new secret for the same token, by whoever may revoke it (TOK-8); the id, name,
 * permissions, scope and expiry stay. The secret current until now keeps working for `graceHours`
 * (never past the token’s expiry) and only it: a second rotation ends an earlier grace at once (TOK-17).
 */
export function rotateApiToken(
  d: RotateData,
  state: ApiTokenState,
): Extract<ApiTokenEvent, { type: 'ApiTokenRotated' }> {
  if (d.via === 'impersonation') throw impersonationForbidden();
  // A secret must not beget secrets (TOK-11): a leaked token could rotate away the secret its
  // user rotated to shut the leak out. The user signs in to rotate.
  if (d.via === 'api_token')
    throw forbidden('token.no_minting', 'An API token cannot rotate tokens; sign in to rotate one.');
  const { min, max } = LIMITS.tokenGraceHours;
  if (!Number.isInteger(d.graceHours) || d.graceHours < min || d.graceHours > max) {
    throw invalid('graceHours', 'token.grace_out_of_range', `A grace period is ${min} to ${max} whole hours.`);
  }
  refuseUnlessRevocableBy(d, state);
  if (state.status === 'revoked') throw conflict('token.revoked', 'A revoked token cannot be rotated.');
  if (state.expiresAt !== null && isAtOrBefore(state.expiresAt, d.now))
    throw conflict('token.expired', 'An expired token cannot be rotated.');
  const graceEndsAt = addHours(d.now, d.graceHours);
  return {
    type: 'ApiTokenRotated',
    data: {
      tokenId: state.tokenId,
      accountId: state.accountId,
      userId: state.userId,
      prefix: d.prefix,
      tokenHash: d.tokenHash,
      graceEndsAt:
        state.expiresAt !== null && isAtOrBefore(state.expiresAt, graceEndsAt) ? state.expiresAt : graceEndsAt,
      rotatedBy: d.by,
    },
  };
}

/**
 * TOK-8: its own user, or an owner of ITS account. Another account's token, or someone else's,
 * answers like a missing one: being an owner of one account is no key to another's tokens, and the
 * answer leaks nothing about them.
 */
function refuseUnlessRevocableBy(
  d: { readonly accountId: string; readonly by: string; readonly byOwner: boolean },
  state: ApiTokenState,
): asserts state is Existing {
  if (state.status === 'none' || state.accountId !== d.accountId) throw notFound('token.not_found', 'No such token.');
  if (state.userId !== d.by && !d.byOwner) throw notFound('token.not_found', 'No such token.');
}

/** Every rule of an issue that does not depend on the token's own stream. */
function refuseUnlessIssuable(d: IssueData): void {
  // A token's secret must not beget more secrets: a leaked token could otherwise outlive its revoke.
  if (d.actor.via === 'api_token')
    throw forbidden('token.no_minting', 'An API token cannot issue tokens; sign in to create one.');
  // SEC-5b: an impersonating admin creates no grant; a token would outlive the impersonation.
  if (d.actor.via === 'impersonation') throw impersonationForbidden();
  if (d.actor.userId !== d.userId) throw forbidden('token.not_own', 'A token is issued to the user who asks for it.');
  if (!d.issuer.member) throw notFound('account.not_found', 'No such account.');
  if (d.issuer.accountClosed) throw gone('account.closed', 'This account is closed: it gets no new tokens.');
  if (d.issuedVia === 'access' && d.invitationId === undefined) {
    throw invalid('invitationId', 'token.invitation_required', 'A token for an access names its invitation.');
  }
  if (d.issuedVia === 'api' && d.invitationId !== undefined) {
    throw invalid('invitationId', 'token.invitation_unexpected', 'Only a token for an access names an invitation.');
  }
  const name = d.name.trim();
  if (name.length === 0 || name.length > LIMITS.name)
    throw invalid('name', 'token.name_invalid', `A token name has 1 to ${LIMITS.name} characters.`);
  if (d.expiresAt !== null && Number.isNaN(Date.parse(d.expiresAt))) {
    throw invalid('expiresAt', 'token.expiry_invalid', 'An expiry is an ISO-8601 date and time.');
  }
  if (d.expiresAt !== null && isAtOrBefore(d.expiresAt, d.now))
    throw invalid('expiresAt', 'token.expiry_past', 'A token must expire in the future.');
  const maxExpiry = maxExpiryOf(d);
  if (d.expiresAt !== null && maxExpiry !== null && !isAtOrBefore(d.expiresAt, maxExpiry)) {
    throw invalid(
      'expiresAt',
      'token.expiry_beyond_policy',
      `This account allows tokens for at most ${d.maxLifetimeDays} days.`,
    );
  }
  refuseWiderThanIssuer(d);
}

const maxExpiryOf = (d: IssueData) => (d.maxLifetimeDays === null ? null : addHours(d.now, d.maxLifetimeDays * 24));

/** Never wider than its user: the scope within theirs, each asked permission held (`permissions[i]`). */
function refuseWiderThanIssuer(d: IssueData): void {
  const { scope, issuer } = d;
  if (scope?.type === 'restricted' && !issuer.billingAccountIds.includes(scope.billingAccountId)) {
    throw invalid('scope.billingAccountId', 'billing_account.not_found', 'No such billing account in this account.');
  }
  // Null is "as the user": never wider by construction. A user restricted to B may narrow to B only.
  const own = issuer.scope;
  if (
    scope !== null &&
    own?.type === 'restricted' &&
    (scope.type === 'global' || scope.billingAccountId !== own.billingAccountId)
  ) {
    throw new DomainError(
      'forbidden',
      'token.scope_exceeds_user',
      'A token cannot reach beyond your own billing account.',
      'scope',
    );
  }
  for (const [index, permission] of (d.permissions ?? []).entries()) {
    // A missing answer counts as "not held": facts that do not say yes never widen a token.
    if (issuer.held[index] !== true) {
      throw new DomainError(
        'forbidden',
        'token.permission_exceeds_user',
        `You do not hold ${permission}.`,
        `permissions[${index}]`,
      );
    }
  }
}

const impersonationForbidden = () =>
  forbidden('impersonation.forbidden', 'An impersonation cannot create, change or revoke access.');

function revoked(state: Existing, reason: ApiTokenRevocationReason, by: string): ApiTokenEvent {
  return {
    type: 'ApiTokenRevoked',
    data: { tokenId: state.tokenId, accountId: state.accountId, userId: state.userId, reason, revokedBy: by },
  };
}

export function evolveApiToken(state: ApiTokenState, event: ApiTokenEvent): ApiTokenState {
  switch (event.type) {
    case 'ApiTokenIssued': {
      const { tokenId, accountId, userId, invitationId, expiresAt } = event.data;
      return { status: 'active', tokenId, accountId, userId, invitationId: invitationId ?? null, expiresAt };
    }
    case 'ApiTokenRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    case 'ApiTokenRotated':
      // The secret is the service's concern (its index); the aggregate's rules do not depend on it.
      return state;
    case 'TokenPolicyChanged':
      return state;
    default:
      return exhaustive(event);
  }
}

export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenEvent, ApiTokenState> = {
  decide: decideApiToken,
  evolve: evolveApiToken,
  initialState: () => ({ status: 'none' }),
};

// ---- the account's token policy ----

export type TokenPolicyCommand = {
  readonly type: 'SetTokenPolicy';
  /** `byOwner`: the membership service says `by` owns `accountId`. */
  readonly data: {
    readonly accountId: string;
    readonly maxLifetimeDays: number | null;
    readonly by: string;
    readonly via: Actor['via'];
    readonly byOwner: boolean;
  };
};

export interface TokenPolicyState {
  readonly maxLifetimeDays: number | null;
}

/** An org-wide maximum token lifetime: owners alone set it. */
export function setTokenPolicy(d: TokenPolicyCommand['data'], state: TokenPolicyState): ApiTokenEvent[] {
  if (d.via === 'impersonation') throw impersonationForbidden();
  if (!d.byOwner) throw forbidden('token.policy_owner_only', 'Only owners set the token policy of an account.');
  const { maxLifetimeDays } = d;
  const { min, max } = LIMITS.tokenPolicyDays;
  if (
    maxLifetimeDays !== null &&
    (!Number.isInteger(maxLifetimeDays) || maxLifetimeDays < min || maxLifetimeDays > max)
  ) {
    throw invalid(
      'maxLifetimeDays',
      'token.policy_out_of_range',
      `A maximum lifetime is ${min} to ${max} days, or none.`,
    );
  }
  if (maxLifetimeDays === state.maxLifetimeDays) return [];
  return [{ type: 'TokenPolicyChanged', data: { accountId: d.accountId, maxLifetimeDays, changedBy: d.by } }];
}

export const tokenPolicyDecider: Decider<TokenPolicyCommand, ApiTokenEvent, TokenPolicyState> = {
  decide: (command, state) => setTokenPolicy(command.data, state),
  evolve: (state, event) =>
    event.type === 'TokenPolicyChanged' ? { maxLifetimeDays: event.data.maxLifetimeDays } : state,
  initialState: () => ({ maxLifetimeDays: null }),
};
