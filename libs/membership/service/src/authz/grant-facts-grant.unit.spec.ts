import type { MembershipEvent } from '@accord/contracts';
import { accountDecider } from '@accord/membership-domain';
import { grantFacts, grantFactsPayload } from './grant-facts';

// INV-26: the invitation service asks what a share's permissions would give, and whether the sharer
// holds each: the rules of a PATCH of a member, in the membership context that owns them.

const acc = 'acc1';
const joined = (userId: string, role: 'owner' | 'administrator'): MembershipEvent => ({
  type: 'MemberJoined',
  data: {
    accountId: acc,
    userId,
    email: `${userId}@x.io`,
    role,
    scope: { type: 'global' },
    accessId: 'a',
    invitationId: `i-${userId}`,
  },
});
const created: MembershipEvent = {
  type: 'AccountCreated',
  data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } },
};
const state = [created, joined('olga', 'owner'), joined('adam', 'administrator')].reduce(
  accountDecider.evolve,
  accountDecider.initialState(),
);

const ask = (userId: string, grant: string[]) => grantFacts(state, { accountId: acc, userId, grant }).grant;

describe('grant facts: what a share would grant (INV-26)', () => {
  it('expands the permissions with related sections and says the owner holds each', () =>
    expect(ask('olga', ['servers:read', 'account-api:query:*'])).toEqual({
      ok: true,
      permissions: [
        'account-api:query:*',
        'cloud-servers:read',
        'firewall:read',
        'images:read',
        'private-networks:read',
        'public-ips:read',
        'servers:read',
        'ssh-keys:read',
      ],
      held: [true, true, true, true, true, true, true, true],
    }));

  it('an owner-only permission is refused, naming its index', () =>
    expect(ask('olga', ['vps:read', 'users:manage'])).toEqual({
      ok: false,
      index: 1,
      reason: 'users is available to account owners only',
    }));

  it('a special permission is refused (AUTHZ-16, AUTHZ-17)', () =>
    expect(ask('root', ['servers:transfer'])).toMatchObject({ ok: false, index: 0 }));

  it('a non-owner holds only what their role gives: the rest is marked not held', () =>
    expect(ask('adam', ['vps:manage', 'account-api:query:*'])).toEqual({
      ok: true,
      permissions: ['account-api:query:*', 'vps:manage'],
      held: [false, true],
    }));

  it('a stranger holds none', () =>
    expect(ask('eve', ['vps:read'])).toEqual({ ok: true, permissions: ['vps:read'], held: [false] }));

  it('no grant asked, no grant answered', () =>
    expect(grantFacts(state, { accountId: acc, userId: 'olga' })).not.toHaveProperty('grant'));

  it('the NATS payload keeps a list of strings, refuses anything else', () => {
    expect(grantFactsPayload({ accountId: acc, userId: 'olga', grant: ['vps:read'] }).grant).toEqual(['vps:read']);
    expect(() => grantFactsPayload({ accountId: acc, userId: 'olga', grant: [1] })).toThrow();
    expect(() => grantFactsPayload({ accountId: acc, userId: 'olga', grant: 'vps:read' })).toThrow();
  });
});
