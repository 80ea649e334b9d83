import {
  addHours,
  conflict,
  exhaustive,
  invalid,
  isAtOrBefore,
  notFound,
  type ApiTokenIssuedData,
  type ApiTokenRevocationReason,
  type Decider,
  type TokenEvent,
} from '@accord/contracts';

// The API token aggregate (stream `token-<tokenId>`) and the account's token policy (stream
// `token-policy-<accountId>`). Seed 003: "Any token issued by an additional user will have the
// same permissions as the user themselves" — a token holds its user's permissions or fewer; the
// authorization check intersects it with the user's CURRENT rights, so it is never wider.

export const MAX_POLICY_DAYS = 3650;

export type ApiTokenCommand =
  | {
      readonly type: 'IssueApiToken';
      /** What the event will record, plus the policy in force (null = no maximum) and the time. */
      readonly data: ApiTokenIssuedData & { readonly maxLifetimeDays: number | null; readonly now: string };
    }
  | {
      readonly type: 'RevokeApiToken';
      /** `asOwner`: `by` owns `accountId` (the gateway's check) — which says nothing about other accounts. */
      readonly data: { readonly accountId: string; readonly by: string; readonly asOwner: boolean };
    }
  | { readonly type: 'RevokeForMember'; readonly data: { readonly userId: string; readonly reason: 'member_removed' | 'member_left'; readonly by: string } };

export type ApiTokenState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'revoked'; readonly tokenId: string; readonly accountId: string; readonly userId: string };

export function decideApiToken(command: ApiTokenCommand, state: ApiTokenState): TokenEvent[] {
  switch (command.type) {
    case 'IssueApiToken': {
      if (state.status !== 'none') throw conflict('token.exists', 'This token already exists.');
      const d = command.data;
      const name = d.name.trim();
      if (name.length === 0 || name.length > 100) throw invalid('name', 'token.name_invalid', 'A token name has 1 to 100 characters.');
      if (d.expiresAt !== null && Number.isNaN(Date.parse(d.expiresAt))) {
        throw invalid('expiresAt', 'token.expiry_invalid', 'An expiry is an ISO-8601 date and time.');
      }
      const maxExpiry = d.maxLifetimeDays === null ? null : addHours(d.now, d.maxLifetimeDays * 24);
      if (d.expiresAt !== null && isAtOrBefore(d.expiresAt, d.now)) {
        throw invalid('expiresAt', 'token.expiry_past', 'A token must expire in the future.');
      }
      if (d.expiresAt !== null && maxExpiry !== null && !isAtOrBefore(d.expiresAt, maxExpiry)) {
        throw invalid('expiresAt', 'token.expiry_beyond_policy', `This account allows tokens for at most ${d.maxLifetimeDays} days.`);
      }
      return [
        {
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
            expiresAt: d.expiresAt ?? maxExpiry,
            issuedVia: d.issuedVia,
          },
        },
      ];
    }
    case 'RevokeApiToken': {
      // Another account's token, or someone else's, answers like a missing one: being an owner of
      // one account is no key to another's tokens, and the answer leaks nothing about them.
      if (state.status === 'none' || state.accountId !== command.data.accountId) throw notFound('token.not_found', 'No such token.');
      if (state.userId !== command.data.by && !command.data.asOwner) throw notFound('token.not_found', 'No such token.');
      if (state.status === 'revoked') return [];
      const reason: ApiTokenRevocationReason = state.userId === command.data.by ? 'revoked_by_user' : 'revoked_by_owner';
      return [revoked(state, reason, command.data.by)];
    }
    case 'RevokeForMember': {
      if (state.status !== 'active' || state.userId !== command.data.userId) return [];
      return [revoked(state, command.data.reason, command.data.by)];
    }
    default:
      return exhaustive(command);
  }
}

function revoked(state: Extract<ApiTokenState, { tokenId: string }>, reason: ApiTokenRevocationReason, by: string): TokenEvent {
  return { type: 'ApiTokenRevoked', data: { tokenId: state.tokenId, accountId: state.accountId, userId: state.userId, reason, revokedBy: by } };
}

export function evolveApiToken(state: ApiTokenState, event: TokenEvent): ApiTokenState {
  switch (event.type) {
    case 'ApiTokenIssued':
      return { status: 'active', tokenId: event.data.tokenId, accountId: event.data.accountId, userId: event.data.userId };
    case 'ApiTokenRevoked':
      return state.status === 'none' ? state : { ...state, status: 'revoked' };
    case 'TokenPolicyChanged':
      return state;
    default:
      return exhaustive(event);
  }
}

export const apiTokenDecider: Decider<ApiTokenCommand, TokenEvent, ApiTokenState> = {
  decide: decideApiToken,
  evolve: evolveApiToken,
  initialState: () => ({ status: 'none' }),
};

// ---- the account's token policy ----

export type TokenPolicyCommand = {
  readonly type: 'SetTokenPolicy';
  readonly data: { readonly accountId: string; readonly maxLifetimeDays: number | null; readonly by: string };
};

export interface TokenPolicyState {
  readonly maxLifetimeDays: number | null;
}

export const tokenPolicyDecider: Decider<TokenPolicyCommand, TokenEvent, TokenPolicyState> = {
  decide: (command, state) => {
    const { maxLifetimeDays } = command.data;
    if (maxLifetimeDays !== null && (!Number.isInteger(maxLifetimeDays) || maxLifetimeDays < 1 || maxLifetimeDays > MAX_POLICY_DAYS)) {
      throw invalid('maxLifetimeDays', 'token.policy_out_of_range', `A maximum lifetime is 1 to ${MAX_POLICY_DAYS} days, or none.`);
    }
    if (maxLifetimeDays === state.maxLifetimeDays) return [];
    return [{ type: 'TokenPolicyChanged', data: { accountId: command.data.accountId, maxLifetimeDays, changedBy: command.data.by } }];
  },
  evolve: (state, event) => (event.type === 'TokenPolicyChanged' ? { maxLifetimeDays: event.data.maxLifetimeDays } : state),
  initialState: () => ({ maxLifetimeDays: null }),
};
