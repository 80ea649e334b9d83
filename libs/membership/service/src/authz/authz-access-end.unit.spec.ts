import type { MembershipEvent } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { AuthzIndex } from './authz-index';
import { accountEnvelope } from './test-fixtures/account-envelope';

// INV-29: the authorization check names the end of a member's time-limited access, and past it
// denies at once, before the scheduler's removal has run.

const acc = 'acc1';
const ends = '2027-01-01T00:00:00.000Z';
const events: MembershipEvent[] = [
  { type: 'AccountCreated', data: { accountId: acc, name: 'Acme', rootOwner: { userId: 'root', email: 'root@x.io' } } },
  {
    type: 'MemberJoined',
    data: {
      accountId: acc,
      userId: 'mike',
      email: 'mike@x.io',
      role: 'administrator',
      scope: { type: 'global' },
      accessId: 'a1',
      invitationId: 'i1',
      accessExpiresAt: ends,
    },
  },
];
const envelope = (event: MembershipEvent, i: number) => accountEnvelope(acc, event, i);

describe('the authorization check of a time-limited member', () => {
  const index = new AuthzIndex({} as EventStore);
  events.forEach((event, i) => index.apply(envelope(event, i)));
  const ask = { userId: 'mike', accountId: acc, permission: 'vps:read' };

  it('before the end: allowed, naming the end', () =>
    expect(index.check(ask, Date.parse('2026-12-31T23:59:59.000Z'))).toMatchObject({
      allowed: true,
      accessExpiresAt: ends,
    }));

  it('from the end on: denied (access expired), even before the removal', () =>
    expect(index.check(ask, Date.parse(ends))).toMatchObject({
      allowed: false,
      reason: 'access expired',
      accessExpiresAt: ends,
    }));

  it('a member without an end date is answered without one', () =>
    expect(index.check({ ...ask, userId: 'root' }, Date.parse(ends))).not.toHaveProperty('accessExpiresAt'));
});
