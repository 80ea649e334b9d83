import { randomUUID } from 'node:crypto';
import { ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('members over HTTP', () => {
  let gateway: Harness;
  const olivia = person();
  const accountId = randomUUID();
  const list = async (query = '') =>
    gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId}/members${query}`,
      headers: bearer(await tokenFor(olivia)),
    });

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('checks users:read and lists the members, passing minPosition to both', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: true, reason: 'owner', role: 'owner' }));
    const member = {
      userId: olivia.userId,
      email: olivia.email,
      role: 'owner',
      status: 'active',
      isRootOwner: true,
      scope: { type: 'global' },
      joinedAt: '2030-01-01T00:00:00.000Z',
    };
    gateway.client.on(subjects.membership.membersOfAccount, ok([member]));
    const res = await list('?minPosition=0');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([member]);
    expect(gateway.client.sentTo(subjects.authz.check)).toEqual([
      { payload: { userId: olivia.userId, accountId, permission: 'users:read', confirmDenial: true }, minPosition: 0 },
    ]);
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([
      { payload: { accountId }, minPosition: 0 },
    ]);
  });

  it('a non-member gets 404', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member' }));
    const res = await list();
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('account.not_found');
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([]);
  });

  it('a member without users:read gets 403', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'no users:read', role: 'accountant' }));
    const res = await list();
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'authz.denied', detail: 'no users:read' });
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([]);
  });

  it('an upper-case UUID names the same account', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: true, reason: 'owner', role: 'owner' }));
    gateway.client.on(subjects.membership.membersOfAccount, ok([]));
    await gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId.toUpperCase()}/members`,
      headers: bearer(await tokenFor(olivia)),
    });
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)[0].payload).toEqual({ accountId });
  });
});
