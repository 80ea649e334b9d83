import type { ApiTokenEvent } from '@accord/contracts';
import { deciderSpec, reactionSpec, recorded } from '@accord/decider-spec';
import { apiTokenDecider, type IssueData } from './api-token';
import { accountClosed, type TokenRevocation } from './member-gone';

// MEM-23, MEM-24 in the token context: a closed account's tokens all end, and it gets no new one.
const closed = recorded(
  'AccountClosed',
  { accountId: 'acc1', name: 'Acme', closedBy: 'u-root' },
  { actor: { userId: 'u-root', via: 'session' } },
);
const revoke = (tokenId: string, userId: string): TokenRevocation => ({
  tokenId,
  command: { type: 'RevokeForMember', data: { userId, reason: 'account_closed', by: 'u-root' } },
});
const react = reactionSpec(accountClosed);

describe('account closed → every token of it is revoked (MEM-23)', () => {
  it('each live token of the account is revoked, whoever holds it, reason account_closed, by the root owner', () =>
    react([
      { tokenId: 't1', userId: 'u-root' },
      { tokenId: 't2', userId: 'u-mike' },
    ])
      .when(closed)
      .then([revoke('t1', 'u-root'), revoke('t2', 'u-mike')]));
  it('an account without live tokens: nothing to revoke', () => react([]).when(closed).thenNothing());
  it('the revocation ends the token with reason account_closed; a redelivery changes nothing', () => {
    const issued: ApiTokenEvent = {
      type: 'ApiTokenIssued',
      data: {
        tokenId: 't1',
        accountId: 'acc1',
        userId: 'u-root',
        email: 'root@example.com',
        name: 'CI',
        prefix: 'acc_AbCd',
        tokenHash: 'hash',
        permissions: null,
        scope: null,
        expiresAt: null,
        issuedVia: 'api',
      },
    };
    const revoked: ApiTokenEvent = {
      type: 'ApiTokenRevoked',
      data: { tokenId: 't1', accountId: 'acc1', userId: 'u-root', reason: 'account_closed', revokedBy: 'u-root' },
    };
    deciderSpec(apiTokenDecider)([issued]).when(revoke('t1', 'u-root').command).then([revoked]);
    deciderSpec(apiTokenDecider)([issued, revoked]).when(revoke('t1', 'u-root').command).thenNothing();
  });
});

describe('a closed account gets no new token (MEM-24)', () => {
  const data: IssueData = {
    tokenId: 't9',
    accountId: 'acc1',
    userId: 'u-root',
    email: 'root@example.com',
    name: 'Late',
    prefix: 'acc_XyZw',
    tokenHash: 'hash9',
    permissions: null,
    scope: null,
    expiresAt: null,
    issuedVia: 'api',
    maxLifetimeDays: null,
    now: '2026-11-22T10:00:00.000Z',
    actor: { userId: 'u-root', via: 'session' },
    issuer: { member: true, scope: { type: 'global' }, billingAccountIds: [], held: [], accountClosed: true },
  };
  it('issuing a token in a closed account is refused as gone', () =>
    deciderSpec(apiTokenDecider)([]).when({ type: 'IssueApiToken', data }).thenThrows('gone', 'account.closed'));
  it('someone who is not a member of it still learns only "not found"', () =>
    deciderSpec(apiTokenDecider)([])
      .when({ type: 'IssueApiToken', data: { ...data, issuer: { ...data.issuer, member: false, scope: null } } })
      .thenThrows('not_found', 'account.not_found'));
});
