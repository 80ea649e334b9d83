import { DomainError, type ApiTokenEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import {
  apiTokenDecider,
  tokenPolicyDecider,
  type ApiTokenCommand,
  type IssueData,
  type IssuerFacts,
} from './api-token';

const given = deciderSpec(apiTokenDecider);
const givenPolicy = deciderSpec(tokenPolicyDecider);
const now = '2026-11-22T10:00:00.000Z';
/** What an issued token records; the Issue command carries the same plus the policy, the time and the facts. */
const token: Extract<ApiTokenEvent, { type: 'ApiTokenIssued' }>['data'] = {
  tokenId: 't1',
  accountId: 'acc1',
  userId: 'u-mike',
  email: 'mike@example.com',
  name: 'CI',
  prefix: 'acc_AbCd',
  tokenHash: 'hash',
  permissions: null,
  scope: null,
  expiresAt: null,
  issuedVia: 'api',
};
/** Mike, a global member of acc1 (billing accounts b1 and b2), asking for his own token in a session. */
const globalMember: IssuerFacts = {
  member: true,
  scope: { type: 'global' },
  billingAccountIds: ['b1', 'b2'],
  held: [],
};
const restrictedToB1: IssuerFacts = { ...globalMember, scope: { type: 'restricted', billingAccountId: 'b1' } };
const issueData = (over: Partial<IssueData> = {}): IssueData => ({
  ...token,
  maxLifetimeDays: null,
  now,
  actor: { userId: 'u-mike', via: 'session' },
  issuer: globalMember,
  ...over,
});
const issue = (over: Partial<IssueData> = {}): ApiTokenCommand => ({ type: 'IssueApiToken', data: issueData(over) });
const issued = (over: Partial<typeof token> = {}): ApiTokenEvent => ({
  type: 'ApiTokenIssued',
  data: { ...token, ...over },
});
type Reason = Extract<ApiTokenEvent, { type: 'ApiTokenRevoked' }>['data']['reason'];
const revoked = (reason: Reason, by: string): ApiTokenEvent => ({
  type: 'ApiTokenRevoked',
  data: { tokenId: 't1', accountId: 'acc1', userId: 'u-mike', reason, revokedBy: by },
});
/** The refusal itself, to check the field it names (the spec helper checks kind and code). */
const refusal = (events: readonly ApiTokenEvent[], command: ApiTokenCommand): DomainError => {
  try {
    apiTokenDecider.decide(command, events.reduce(apiTokenDecider.evolve, apiTokenDecider.initialState()));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the command was not refused');
};

describe('IssueApiToken', () => {
  it('issues a token with its user’s permissions (seed 003), storing only hash and prefix', () =>
    given([]).when(issue()).then([issued()]));
  it('a narrower set of permissions is kept, sorted and deduplicated', () =>
    given([])
      .when(
        issue({
          permissions: ['vps:read', 'dns:read', 'vps:read'],
          issuer: { ...globalMember, held: [true, true, true] },
        }),
      )
      .then([issued({ permissions: ['dns:read', 'vps:read'] })]));
  it('a scope restricted to one billing account is kept', () =>
    given([])
      .when(issue({ scope: { type: 'restricted', billingAccountId: 'b1' } }))
      .then([issued({ scope: { type: 'restricted', billingAccountId: 'b1' } })]));
  it('an expiry in the past is refused', () =>
    given([])
      .when(issue({ expiresAt: '2026-11-22T09:00:00.000Z' }))
      .thenThrows('validation', 'token.expiry_past'));
  it('an expiry beyond the account’s maximum lifetime is refused', () =>
    given([])
      .when(issue({ maxLifetimeDays: 30, expiresAt: '2027-01-01T00:00:00.000Z' }))
      .thenThrows('validation', 'token.expiry_beyond_policy'));
  it('with a maximum lifetime and no expiry asked, the token expires at the maximum', () =>
    given([])
      .when(issue({ maxLifetimeDays: 30 }))
      .then([issued({ expiresAt: '2026-12-22T10:00:00.000Z' })]));
  it('an expiry within the maximum is kept', () =>
    given([])
      .when(issue({ maxLifetimeDays: 30, expiresAt: '2026-12-01T00:00:00.000Z' }))
      .then([issued({ expiresAt: '2026-12-01T00:00:00.000Z' })]));
  it('an expiry that is no date is refused', () =>
    given([])
      .when(issue({ expiresAt: 'tomorrow' }))
      .thenThrows('validation', 'token.expiry_invalid'));
  it('a name of more than 100 characters is refused', () =>
    given([])
      .when(issue({ name: 'x'.repeat(101) }))
      .thenThrows('validation', 'token.name_invalid'));
  it('an empty name is refused', () =>
    given([])
      .when(issue({ name: ' ' }))
      .thenThrows('validation', 'token.name_invalid'));
  it('a token id is issued once', () => given([issued()]).when(issue()).thenThrows('conflict', 'token.exists'));
});

describe('IssueApiToken: never more than its user (facts from the membership service, not the gateway)', () => {
  it('an API token cannot mint a token', () =>
    given([])
      .when(issue({ actor: { userId: 'u-mike', via: 'api_token' } }))
      .thenThrows('forbidden', 'token.no_minting'));
  it('an impersonating admin cannot mint a token that would outlive the impersonation', () =>
    given([])
      .when(issue({ actor: { userId: 'u-mike', via: 'impersonation' } }))
      .thenThrows('forbidden', 'impersonation.forbidden'));
  it('nobody mints a token for someone else', () =>
    given([])
      .when(issue({ actor: { userId: 'u-eve', via: 'session' } }))
      .thenThrows('forbidden', 'token.not_own'));
  it('a user who is not a member (or an account that does not exist) is not found', () =>
    given([])
      .when(issue({ issuer: { member: false, scope: null, billingAccountIds: [], held: [] } }))
      .thenThrows('not_found', 'account.not_found'));
  it('a permission the user does not hold is refused, naming its index in the request', () => {
    const command = issue({
      permissions: ['dns:read', 'vps:manage'],
      issuer: { ...globalMember, held: [true, false] },
    });
    given([]).when(command).thenThrows('forbidden', 'token.permission_exceeds_user');
    expect(refusal([], command).field).toBe('permissions[1]');
  });
  it('an unanswered permission counts as not held', () => {
    const command = issue({ permissions: ['dns:read'], issuer: { ...globalMember, held: [] } });
    expect({ code: refusal([], command).code, field: refusal([], command).field }).toEqual({
      code: 'token.permission_exceeds_user',
      field: 'permissions[0]',
    });
  });
  it('a user restricted to b1 cannot issue a global token', () => {
    const command = issue({ scope: { type: 'global' }, issuer: restrictedToB1 });
    given([]).when(command).thenThrows('forbidden', 'token.scope_exceeds_user');
    expect(refusal([], command).field).toBe('scope');
  });
  it('a user restricted to b1 cannot issue a token for b2', () =>
    given([])
      .when(issue({ scope: { type: 'restricted', billingAccountId: 'b2' }, issuer: restrictedToB1 }))
      .thenThrows('forbidden', 'token.scope_exceeds_user'));
  it('a user restricted to b1 issues a token for b1, or one "as the user"', () => {
    given([])
      .when(issue({ scope: { type: 'restricted', billingAccountId: 'b1' }, issuer: restrictedToB1 }))
      .then([issued({ scope: { type: 'restricted', billingAccountId: 'b1' } })]);
    given([])
      .when(issue({ issuer: restrictedToB1 }))
      .then([issued()]);
  });
  it('a scope naming a billing account that does not exist is a validation error on the field', () => {
    const command = issue({ scope: { type: 'restricted', billingAccountId: 'b-gone' } });
    given([]).when(command).thenThrows('validation', 'billing_account.not_found');
    expect(refusal([], command).field).toBe('scope.billingAccountId');
  });
  it('a token for an access names its invitation, and only such a token does', () => {
    given([])
      .when(issue({ issuedVia: 'access' }))
      .thenThrows('validation', 'token.invitation_required');
    given([])
      .when(issue({ invitationId: 'inv1' }))
      .thenThrows('validation', 'token.invitation_unexpected');
    given([])
      .when(issue({ issuedVia: 'access', invitationId: 'inv1' }))
      .then([issued({ issuedVia: 'access', invitationId: 'inv1' })]);
  });
});

describe('ReplaceApiToken (the same invitation issued again: one live token per invitation)', () => {
  const ofInvitation = issued({ issuedVia: 'access', invitationId: 'inv1' });
  const replace = (over: Partial<IssueData> = {}): ApiTokenCommand => ({
    type: 'ReplaceApiToken',
    data: issueData({ tokenId: 't2', issuedVia: 'access', invitationId: 'inv1', ...over }),
  });
  it('the previous token of the invitation is revoked as replaced', () =>
    given([ofInvitation])
      .when(replace())
      .then([revoked('replaced', 'u-mike')]));
  it('a previous token already revoked changes nothing', () =>
    given([ofInvitation, revoked('revoked_by_user', 'u-mike')])
      .when(replace())
      .thenNothing());
  it('a refused issue revokes nothing: a token cannot make its user lose their access token', () =>
    given([ofInvitation])
      .when(replace({ actor: { userId: 'u-mike', via: 'api_token' } }))
      .thenThrows('forbidden', 'token.no_minting'));
  it('nor can an issue beyond the policy', () =>
    given([ofInvitation])
      .when(replace({ maxLifetimeDays: 30, expiresAt: '2027-01-01T00:00:00.000Z' }))
      .thenThrows('validation', 'token.expiry_beyond_policy'));
  it('a token of another invitation, or of the API, is not replaced', () => {
    given([ofInvitation])
      .when(replace({ invitationId: 'inv2' }))
      .thenThrows('conflict', 'token.invitation_mismatch');
    given([issued()]).when(replace()).thenThrows('conflict', 'token.invitation_mismatch');
  });
  it('another user’s token of the invitation is not replaced', () =>
    given([issued({ issuedVia: 'access', invitationId: 'inv1', userId: 'u-ann' })])
      .when(replace())
      .thenThrows('conflict', 'token.invitation_mismatch'));
  it('no token, nothing to replace', () => given([]).when(replace()).thenThrows('not_found', 'token.not_found'));
});

describe('RevokeApiToken', () => {
  const revoke = (
    by: string,
    byOwner: boolean,
    accountId = 'acc1',
    via: 'session' | 'api_token' | 'impersonation' = 'session',
  ): ApiTokenCommand => ({
    type: 'RevokeApiToken',
    data: { accountId, by, via, byOwner },
  });
  it('its user revokes it', () =>
    given([issued()])
      .when(revoke('u-mike', false))
      .then([revoked('revoked_by_user', 'u-mike')]));
  it('an owner revokes anyone’s token', () =>
    given([issued()])
      .when(revoke('u-root', true))
      .then([revoked('revoked_by_owner', 'u-root')]));
  it('someone else cannot, and learns nothing: not found', () =>
    given([issued()]).when(revoke('u-eve', false)).thenThrows('not_found', 'token.not_found'));
  it('revoking twice changes nothing', () =>
    given([issued(), revoked('revoked_by_user', 'u-mike')])
      .when(revoke('u-mike', false))
      .thenNothing());
  it('an owner of ANOTHER account cannot, and learns nothing: not found', () =>
    given([issued()])
      .when(revoke('u-root', true, 'acc-other'))
      .thenThrows('not_found', 'token.not_found'));
  it('its own user, naming another account, cannot either', () =>
    given([issued()])
      .when(revoke('u-mike', false, 'acc-other'))
      .thenThrows('not_found', 'token.not_found'));
  it('an unknown token is not found', () =>
    given([]).when(revoke('u-mike', true)).thenThrows('not_found', 'token.not_found'));
  it('an impersonating admin revokes nothing', () =>
    given([issued()])
      .when(revoke('u-mike', false, 'acc1', 'impersonation'))
      .thenThrows('forbidden', 'impersonation.forbidden'));
});

describe('RevokeForMember (member removed or left)', () => {
  it('a removed member’s token is revoked with the reason', () =>
    given([issued()])
      .when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_removed', by: 'u-root' } })
      .then([revoked('member_removed', 'u-root')]));
  it('a member who left loses their token too', () =>
    given([issued()])
      .when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_left', by: 'u-mike' } })
      .then([revoked('member_left', 'u-mike')]));
  it('a redelivered removal changes nothing', () =>
    given([issued(), revoked('member_removed', 'u-root')])
      .when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_removed', by: 'u-root' } })
      .thenNothing());
  it('another member’s removal leaves this token alone', () =>
    given([issued()])
      .when({ type: 'RevokeForMember', data: { userId: 'u-ann', reason: 'member_removed', by: 'u-root' } })
      .thenNothing());
});

describe('SetTokenPolicy (an org-wide maximum lifetime)', () => {
  const set = (maxLifetimeDays: number | null, byOwner = true, via: 'session' | 'impersonation' = 'session') => ({
    type: 'SetTokenPolicy' as const,
    data: { accountId: 'acc1', maxLifetimeDays, by: 'u-root', via, byOwner },
  });
  it('sets a maximum lifetime in days', () =>
    givenPolicy([])
      .when(set(90))
      .then([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }]));
  it('removes the maximum', () =>
    givenPolicy([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }])
      .when(set(null))
      .then([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: null, changedBy: 'u-root' } }]));
  it('refuses zero days and more than ten years', () => {
    givenPolicy([]).when(set(0)).thenThrows('validation', 'token.policy_out_of_range');
    givenPolicy([]).when(set(3651)).thenThrows('validation', 'token.policy_out_of_range');
  });
  it('the same maximum again changes nothing', () =>
    givenPolicy([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }])
      .when(set(90))
      .thenNothing());
  it('only an owner sets it', () =>
    givenPolicy([]).when(set(90, false)).thenThrows('forbidden', 'token.policy_owner_only'));
  it('not even an owner while impersonated', () =>
    givenPolicy([])
      .when(set(90, true, 'impersonation'))
      .thenThrows('forbidden', 'impersonation.forbidden'));
});

describe('RotateApiToken (a new secret for the same token; the previous one for a grace period)', () => {
  const rotate = (
    over: Partial<Extract<ApiTokenCommand, { type: 'RotateApiToken' }>['data']> = {},
  ): ApiTokenCommand => ({
    type: 'RotateApiToken',
    data: {
      accountId: 'acc1',
      by: 'u-mike',
      via: 'session',
      byOwner: false,
      graceHours: 0,
      now,
      prefix: 'acc_NeWw',
      tokenHash: 'new-hash',
      ...over,
    },
  });
  const rotated = (graceEndsAt: string, by = 'u-mike'): ApiTokenEvent => ({
    type: 'ApiTokenRotated',
    data: {
      tokenId: 't1',
      accountId: 'acc1',
      userId: 'u-mike',
      prefix: 'acc_NeWw',
      tokenHash: 'new-hash',
      graceEndsAt,
      rotatedBy: by,
    },
  });
  it('its user rotates it: the new secret’s hash and prefix, no grace by default', () =>
    given([issued()])
      .when(rotate())
      .then([rotated(now)]));
  it('a grace period of some hours ends that many hours after the rotation', () =>
    given([issued()])
      .when(rotate({ graceHours: 24 }))
      .then([rotated('2026-11-23T10:00:00.000Z')]));
  it('the grace never outlives the token’s expiry', () =>
    given([issued({ expiresAt: '2026-11-22T12:00:00.000Z' })])
      .when(rotate({ graceHours: 5 }))
      .then([rotated('2026-11-22T12:00:00.000Z')]));
  it('an owner rotates anyone’s token of the account', () =>
    given([issued()])
      .when(rotate({ by: 'u-root', byOwner: true }))
      .then([rotated(now, 'u-root')]));
  it('a token rotated before is rotated again (only the newest previous secret keeps its grace)', () =>
    given([issued(), rotated('2026-11-22T20:00:00.000Z')])
      .when(rotate())
      .then([rotated(now)]));
  it('someone else cannot, and learns nothing: not found', () =>
    given([issued()])
      .when(rotate({ by: 'u-eve' }))
      .thenThrows('not_found', 'token.not_found'));
  it('an owner of ANOTHER account cannot, and learns nothing: not found', () =>
    given([issued()])
      .when(rotate({ by: 'u-root', byOwner: true, accountId: 'acc-other' }))
      .thenThrows('not_found', 'token.not_found'));
  it('an unknown token is not found', () => given([]).when(rotate()).thenThrows('not_found', 'token.not_found'));
  it('a revoked token cannot be rotated back to life', () =>
    given([issued(), revoked('revoked_by_user', 'u-mike')])
      .when(rotate())
      .thenThrows('conflict', 'token.revoked'));
  it('an expired token cannot be rotated', () =>
    given([issued({ expiresAt: now })])
      .when(rotate())
      .thenThrows('conflict', 'token.expired'));
  it('a grace period is 0 to 24 whole hours', () => {
    for (const graceHours of [-1, 25, 1.5, Number.NaN]) {
      const command = rotate({ graceHours });
      given([issued()]).when(command).thenThrows('validation', 'token.grace_out_of_range');
      expect(refusal([issued()], command).field).toBe('graceHours');
    }
  });
  it('an API token cannot rotate a token, not even itself: its user signs in', () =>
    given([issued()])
      .when(rotate({ via: 'api_token' }))
      .thenThrows('forbidden', 'token.no_minting'));
  it('an impersonating admin rotates nothing', () =>
    given([issued()])
      .when(rotate({ via: 'impersonation' }))
      .thenThrows('forbidden', 'impersonation.forbidden'));
});
