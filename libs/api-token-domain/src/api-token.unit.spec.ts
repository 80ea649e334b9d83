import type { TokenEvent } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { apiTokenDecider, tokenPolicyDecider, type ApiTokenCommand } from './api-token';

const given = deciderSpec(apiTokenDecider);
const givenPolicy = deciderSpec(tokenPolicyDecider);
const now = '2026-11-22T10:00:00.000Z';
/** What an issued token records; the Issue command carries the same plus the policy and the time. */
const token: Extract<TokenEvent, { type: 'ApiTokenIssued' }>['data'] = {
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
const issue = (over: Partial<Extract<ApiTokenCommand, { type: 'IssueApiToken' }>['data']> = {}): ApiTokenCommand => ({
  type: 'IssueApiToken',
  data: { ...token, maxLifetimeDays: null, now, ...over },
});
const issued = (over: Partial<typeof token> = {}): TokenEvent => ({ type: 'ApiTokenIssued', data: { ...token, ...over } });
const revoked = (reason: 'revoked_by_user' | 'revoked_by_owner' | 'member_removed' | 'member_left', by: string): TokenEvent => ({
  type: 'ApiTokenRevoked',
  data: { tokenId: 't1', accountId: 'acc1', userId: 'u-mike', reason, revokedBy: by },
});

describe('IssueApiToken', () => {
  it('issues a token with its user’s permissions (seed 003), storing only hash and prefix', () => given([]).when(issue()).then([issued()]));
  it('a narrower set of permissions is kept, sorted and deduplicated', () =>
    given([]).when(issue({ permissions: ['vps:read', 'dns:read', 'vps:read'] })).then([issued({ permissions: ['dns:read', 'vps:read'] })]));
  it('a scope restricted to one billing account is kept', () =>
    given([]).when(issue({ scope: { type: 'restricted', billingAccountId: 'b1' } })).then([issued({ scope: { type: 'restricted', billingAccountId: 'b1' } })]));
  it('an expiry in the past is refused', () => given([]).when(issue({ expiresAt: '2026-11-22T09:00:00.000Z' })).thenThrows('validation', 'token.expiry_past'));
  it('an expiry beyond the account’s maximum lifetime is refused', () =>
    given([]).when(issue({ maxLifetimeDays: 30, expiresAt: '2027-01-01T00:00:00.000Z' })).thenThrows('validation', 'token.expiry_beyond_policy'));
  it('with a maximum lifetime and no expiry asked, the token expires at the maximum', () =>
    given([]).when(issue({ maxLifetimeDays: 30 })).then([issued({ expiresAt: '2026-12-22T10:00:00.000Z' })]));
  it('an expiry within the maximum is kept', () =>
    given([]).when(issue({ maxLifetimeDays: 30, expiresAt: '2026-12-01T00:00:00.000Z' })).then([issued({ expiresAt: '2026-12-01T00:00:00.000Z' })]));
  it('an expiry that is no date is refused', () => given([]).when(issue({ expiresAt: 'tomorrow' })).thenThrows('validation', 'token.expiry_invalid'));
  it('a name of more than 100 characters is refused', () => given([]).when(issue({ name: 'x'.repeat(101) })).thenThrows('validation', 'token.name_invalid'));
  it('an empty name is refused', () => given([]).when(issue({ name: ' ' })).thenThrows('validation', 'token.name_invalid'));
  it('a token id is issued once', () => given([issued()]).when(issue()).thenThrows('conflict', 'token.exists'));
});

describe('RevokeApiToken', () => {
  it('its user revokes it', () => given([issued()]).when({ type: 'RevokeApiToken', data: { accountId: 'acc1', by: 'u-mike', asOwner: false } }).then([revoked('revoked_by_user', 'u-mike')]));
  it('an owner revokes anyone’s token', () =>
    given([issued()]).when({ type: 'RevokeApiToken', data: { accountId: 'acc1', by: 'u-root', asOwner: true } }).then([revoked('revoked_by_owner', 'u-root')]));
  it('someone else cannot, and learns nothing: not found', () =>
    given([issued()]).when({ type: 'RevokeApiToken', data: { accountId: 'acc1', by: 'u-eve', asOwner: false } }).thenThrows('not_found', 'token.not_found'));
  it('revoking twice changes nothing', () =>
    given([issued(), revoked('revoked_by_user', 'u-mike')]).when({ type: 'RevokeApiToken', data: { accountId: 'acc1', by: 'u-mike', asOwner: false } }).thenNothing());
  it('an owner of ANOTHER account cannot, and learns nothing: not found', () =>
    given([issued()]).when({ type: 'RevokeApiToken', data: { accountId: 'acc-other', by: 'u-root', asOwner: true } }).thenThrows('not_found', 'token.not_found'));
  it('its own user, naming another account, cannot either', () =>
    given([issued()]).when({ type: 'RevokeApiToken', data: { accountId: 'acc-other', by: 'u-mike', asOwner: false } }).thenThrows('not_found', 'token.not_found'));
  it('an unknown token is not found', () => given([]).when({ type: 'RevokeApiToken', data: { accountId: 'acc1', by: 'u-mike', asOwner: true } }).thenThrows('not_found', 'token.not_found'));
});

describe('RevokeForMember (member removed or left)', () => {
  it('a removed member’s token is revoked with the reason', () =>
    given([issued()]).when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_removed', by: 'u-root' } }).then([revoked('member_removed', 'u-root')]));
  it('a member who left loses their token too', () =>
    given([issued()]).when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_left', by: 'u-mike' } }).then([revoked('member_left', 'u-mike')]));
  it('a redelivered removal changes nothing', () =>
    given([issued(), revoked('member_removed', 'u-root')]).when({ type: 'RevokeForMember', data: { userId: 'u-mike', reason: 'member_removed', by: 'u-root' } }).thenNothing());
  it('another member’s removal leaves this token alone', () =>
    given([issued()]).when({ type: 'RevokeForMember', data: { userId: 'u-ann', reason: 'member_removed', by: 'u-root' } }).thenNothing());
});

describe('SetTokenPolicy (an org-wide maximum lifetime)', () => {
  const set = (maxLifetimeDays: number | null) => ({ type: 'SetTokenPolicy' as const, data: { accountId: 'acc1', maxLifetimeDays, by: 'u-root' } });
  it('sets a maximum lifetime in days', () =>
    givenPolicy([]).when(set(90)).then([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }]));
  it('removes the maximum', () =>
    givenPolicy([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }])
      .when(set(null))
      .then([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: null, changedBy: 'u-root' } }]));
  it('refuses zero days and more than ten years', () => {
    givenPolicy([]).when(set(0)).thenThrows('validation', 'token.policy_out_of_range');
    givenPolicy([]).when(set(3651)).thenThrows('validation', 'token.policy_out_of_range');
  });
  it('the same maximum again changes nothing', () =>
    givenPolicy([{ type: 'TokenPolicyChanged', data: { accountId: 'acc1', maxLifetimeDays: 90, changedBy: 'u-root' } }]).when(set(90)).thenNothing());
});
