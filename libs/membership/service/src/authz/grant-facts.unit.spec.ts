import { DomainError, type MembershipEvent } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { BILLING_ACCOUNT_REQUIRED, accountDecider } from '@accord/membership-domain';
import { AuthzIndex } from './authz-index';
import { MAX_GRANT_FACT_PERMISSIONS, grantFacts, grantFactsPayload } from './grant-facts';
import { accountEnvelope } from './test-fixtures/account-envelope';

// Issue 8 rule 10: the facts other contexts decide their own rules on, from the authz index.

const acc = 'acc1';
const history: MembershipEvent[] = [
  { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } },
  { type: 'BillingAccountCreated', data: { accountId: acc, billingAccountId: 'b1', name: 'EU', createdBy: 'root' } },
  { type: 'BillingAccountCreated', data: { accountId: acc, billingAccountId: 'b2', name: 'US', createdBy: 'root' } },
  {
    type: 'MemberJoined',
    data: {
      accountId: acc,
      userId: 'olga',
      email: 'olga@x.io',
      role: 'owner',
      scope: { type: 'global' },
      accessId: 'a',
      invitationId: 'i1',
    },
  },
  {
    type: 'MemberJoined',
    data: {
      accountId: acc,
      userId: 'rita',
      email: 'rita@x.io',
      role: 'administrator',
      scope: { type: 'restricted', billingAccountId: 'b1' },
      accessId: 'a',
      invitationId: 'i2',
    },
  },
];
const state = history.reduce(accountDecider.evolve, accountDecider.initialState());

describe('grant facts (issue 8 rule 10)', () => {
  it('the root owner: owner, root, global, every billing account, holds everything asked', () =>
    expect(grantFacts(state, { accountId: acc, userId: 'root', permissions: ['users:manage', 'vps:manage'] })).toEqual({
      member: true,
      role: 'owner',
      owner: true,
      rootOwner: true,
      scope: { type: 'global' },
      billingAccountIds: ['b1', 'b2'],
      held: [true, true],
    }));
  it('another owner is an owner but not the root', () =>
    expect(grantFacts(state, { accountId: acc, userId: 'olga' })).toMatchObject({
      member: true,
      owner: true,
      rootOwner: false,
      held: [],
    }));
  it('a restricted member is asked within their own billing account when none is named', () =>
    expect(
      grantFacts(state, { accountId: acc, userId: 'rita', permissions: ['vps:manage', 'users:manage', 'users:read'] }),
    ).toMatchObject({
      member: true,
      role: 'administrator',
      owner: false,
      scope: { type: 'restricted', billingAccountId: 'b1' },
      held: [true, false, true],
    }));
  it('a restricted member holds nothing billing-account-level in another billing account', () =>
    expect(
      grantFacts(state, {
        accountId: acc,
        userId: 'rita',
        permissions: ['vps:manage', 'users:read'],
        billingAccountId: 'b2',
      }).held,
    ).toEqual([false, true]));
  it.each(['stranger', 'constructor', '__proto__', 'toString'])('"%s" is not a member and holds nothing', (userId) =>
    expect(grantFacts(state, { accountId: acc, userId, permissions: ['vps:read'] })).toEqual({
      member: false,
      role: null,
      owner: false,
      rootOwner: false,
      scope: null,
      billingAccountIds: [],
      held: [false],
    }),
  );
  it('an unknown account has no members', () =>
    expect(grantFacts(undefined, { accountId: 'nope', userId: 'root' }).member).toBe(false));
});

describe('grant facts payloads are hostile until checked', () => {
  const refused = (payload: unknown) => {
    try {
      grantFactsPayload(payload);
    } catch (error) {
      return error instanceof DomainError ? { kind: error.kind, code: error.code, field: error.field } : error;
    }
    return 'accepted';
  };
  it.each([
    ['no payload', null, 'userId'],
    ['a user id with a slash', { accountId: acc, userId: 'a/b' }, 'userId'],
    ['a user id with a space', { accountId: acc, userId: 'a b' }, 'userId'],
    ['an empty user id', { accountId: acc, userId: '' }, 'userId'],
    ['a user id that is not a string', { accountId: acc, userId: { toString: 'x' } }, 'userId'],
    ['an account id that is not a string', { accountId: 1, userId: 'root' }, 'accountId'],
    ['permissions that are not strings', { accountId: acc, userId: 'root', permissions: [1] }, 'permissions'],
    [
      'too many permissions',
      { accountId: acc, userId: 'root', permissions: Array(MAX_GRANT_FACT_PERMISSIONS + 1).fill('vps:read') },
      'permissions',
    ],
    [
      'a billing account id that is not a string',
      { accountId: acc, userId: 'root', billingAccountId: ['b1'] },
      'billingAccountId',
    ],
  ])('%s is a validation error', (_name, payload, field) =>
    expect(refused(payload)).toMatchObject({ kind: 'validation', field }),
  );
  it('an identity provider sub such as auth0|65f0c1 is a user id', () =>
    expect(grantFactsPayload({ accountId: acc, userId: 'auth0|65f0c1', extra: 1 })).toEqual({
      accountId: acc,
      userId: 'auth0|65f0c1',
    }));
});

describe('the authorization index looks user ids up in Maps (issue 8 rule 1)', () => {
  const index = new AuthzIndex({} as EventStore);
  history.forEach((event, i) => index.apply(accountEnvelope(acc, event, i)));
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('"%s" is not a member of the account', (userId) =>
    expect(index.check({ accountId: acc, userId, permission: 'vps:read' })).toEqual({
      allowed: false,
      reason: 'not a member of this account',
    }),
  );
  it('a restricted member asking without a billing account is told one is required', () =>
    expect(index.check({ accountId: acc, userId: 'rita', permission: 'vps:read' })).toMatchObject({
      allowed: false,
      reason: BILLING_ACCOUNT_REQUIRED,
    }));
});
