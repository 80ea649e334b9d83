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
    gateway.client.on(subjects.membership.membersOfAccount, ok({ items: [member], nextAfter: null }));
    const res = await list('?minPosition=0');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [member], next: null });
    expect(gateway.client.sentTo(subjects.authz.check)).toEqual([
      { payload: { userId: olivia.userId, accountId, permission: 'users:read', confirmDenial: true }, minPosition: 0 },
    ]);
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([
      { payload: { accountId, limit: 50 }, minPosition: 0 },
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
    gateway.client.on(subjects.membership.membersOfAccount, ok({ items: [], nextAfter: null }));
    await gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId.toUpperCase()}/members`,
      headers: bearer(await tokenFor(olivia)),
    });
    expect(gateway.client.sentTo(subjects.membership.membersOfAccount)[0].payload).toEqual({ accountId, limit: 50 });
  });

  describe('filters and pages', () => {
    const at = '2030-01-01T00:00:00.000000Z';
    const member = (userId: string) => ({ userId, email: `${userId}@example.com`, status: 'active' });
    const invitee = (invitationId: string) => ({ email: 'i@example.com', status: 'invited', invitationId });
    const inviteeId = randomUUID();
    beforeEach(() => gateway.client.on(subjects.authz.check, ok({ allowed: true, reason: 'owner', role: 'owner' })));

    it('passes role and q to the membership service; status defaults to active', async () => {
      gateway.client.on(subjects.membership.membersOfAccount, ok({ items: [], nextAfter: null }));
      const res = await list('?role=accountant&q=50%25_off&limit=2');
      expect(res.statusCode).toBe(200);
      expect(gateway.client.sentTo(subjects.membership.membersOfAccount)[0].payload).toEqual({
        accountId,
        limit: 2,
        role: 'accountant',
        q: '50%_off',
      });
      expect(gateway.client.sentTo(subjects.invitation.inviteesOfAccount)).toEqual([]);
    });

    it.each([
      ['status=gone', 'status'],
      ['role=Not%20A%20Role', 'role'],
      ['q=', 'q'],
      ['q=a%00b', 'q'],
      ['status=all&status=invited', 'status'],
    ])('refuses ?%s with a 400 naming %s, before asking anyone', async (query, field) => {
      const res = await list(`?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([]);
    });

    it('status=invited asks the invitation service only, with the filters', async () => {
      gateway.client.on(subjects.invitation.inviteesOfAccount, ok({ items: [invitee(inviteeId)], nextAfter: null }));
      const res = await list('?status=invited&role=administrator');
      expect(res.json()).toEqual({ items: [invitee(inviteeId)], next: null });
      expect(gateway.client.sentTo(subjects.invitation.inviteesOfAccount)[0].payload).toEqual({
        accountId,
        limit: 50,
        role: 'administrator',
      });
      expect(gateway.client.sentTo(subjects.membership.membersOfAccount)).toEqual([]);
    });

    it('status=all: members first, then invitees, the cursor naming the part it is in', async () => {
      // Three members, one invitee, two per page: [m1, m2] → [m3, invitee] → end.
      gateway.client.on(subjects.membership.membersOfAccount, (request) => {
        const { payload } = request as { payload: { limit: number; after?: string[] } };
        if (!payload.after) return ok({ items: [member('m1'), member('m2')], nextAfter: [at, 'm2'] });
        return ok({ items: [member('m3')].slice(0, payload.limit), nextAfter: null });
      });
      gateway.client.on(subjects.invitation.inviteesOfAccount, ok({ items: [invitee(inviteeId)], nextAfter: null }));
      const first = await list('?status=all&limit=2');
      expect(first.json().items.map((i: { userId?: string }) => i.userId)).toEqual(['m1', 'm2']);
      expect(gateway.client.sentTo(subjects.invitation.inviteesOfAccount)).toEqual([]);
      const next = first.json().next as string;
      expect(first.headers['link']).toBe(
        `</v1/accounts/${accountId}/members?status=all&limit=2&cursor=${next}>; rel="next"`,
      );
      const second = await list(`?status=all&limit=2&cursor=${next}`);
      expect(second.json()).toEqual({ items: [member('m3'), invitee(inviteeId)], next: null });
      expect(gateway.client.sentTo(subjects.membership.membersOfAccount)[1].payload).toMatchObject({
        limit: 2,
        after: [at, 'm2'],
      });
      expect(gateway.client.sentTo(subjects.invitation.inviteesOfAccount)[0].payload).toEqual({ accountId, limit: 1 });
      // A cursor of another status's list is refused, not misread.
      const wrong = await list(`?status=invited&cursor=${next}`);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
    });

    it('status=all: when the members fill a page exactly, a next page only if an invitee waits', async () => {
      gateway.client.on(subjects.membership.membersOfAccount, ok({ items: [member('m1')], nextAfter: null }));
      gateway.client.on(subjects.invitation.inviteesOfAccount, ok({ items: [], nextAfter: null }));
      expect((await list('?status=all&limit=1')).json()).toEqual({ items: [member('m1')], next: null });
      gateway.client.on(subjects.invitation.inviteesOfAccount, ok({ items: [invitee(inviteeId)], nextAfter: null }));
      const page = await list('?status=all&limit=1');
      expect(page.json().next).not.toBeNull();
      const rest = await list(`?status=all&limit=1&cursor=${page.json().next}`);
      expect(rest.json()).toEqual({ items: [invitee(inviteeId)], next: null });
      // Read from the invitees' first: no `after` sent.
      expect(gateway.client.sentTo(subjects.invitation.inviteesOfAccount).at(-1)!.payload).toEqual({
        accountId,
        limit: 1,
      });
    });
  });
});
