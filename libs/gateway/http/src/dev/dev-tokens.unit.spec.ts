import { ok, subjects } from '@accord/contracts';
import { startGateway, type Harness } from '../testing/gateway-harness';
import { devUserId } from './dev-tokens.http.controller';

describe('dev tokens', () => {
  describe('when off (services profile)', () => {
    let gateway: Harness;
    beforeAll(async () => {
      gateway = await startGateway({ devTokens: false });
    });
    afterAll(() => gateway.close());

    it('the route does not exist: 404 problem', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/dev/tokens',
        payload: { email: 'ann@example.com' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, code: 'route.not_found' });
    });
  });

  describe('when on (embedded profile)', () => {
    let gateway: Harness;
    beforeAll(async () => {
      gateway = await startGateway({ devTokens: true });
    });
    afterAll(() => gateway.close());
    beforeEach(() => gateway.client.reset());

    const issue = (payload: object) => gateway.request({ method: 'POST', url: '/v1/dev/tokens', payload });

    it('issues a 12 h token that then authenticates as a stable user for the e-mail', async () => {
      const before = Date.now();
      const res = await issue({ email: ' Ann@Example.com ' });
      expect(res.statusCode).toBe(201);
      const { token, expiresAt } = res.json();
      const lifetime = Date.parse(expiresAt) - before;
      expect(lifetime).toBeGreaterThan(12 * 3600_000 - 5_000);
      expect(lifetime).toBeLessThanOrEqual(12 * 3600_000 + 1_000);

      gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [], nextAfter: null }));
      const accounts = await gateway.request({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(accounts.statusCode).toBe(200);
      const userId = gateway.client.sentTo(subjects.membership.accountsOfUser)[0].payload.userId;
      expect(userId).toBe(devUserId('ann@example.com'));

      // Same address, other spelling and another call: the same person.
      const again = await issue({ email: 'ann@example.com' });
      await gateway.request({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization: `Bearer ${again.json().token}` },
      });
      expect(gateway.client.sentTo(subjects.membership.accountsOfUser)[1].payload.userId).toBe(userId);
    });

    it('uses the given userId and emailVerified', async () => {
      const res = await issue({ email: 'bob@example.com', userId: 'bob-1', emailVerified: false });
      const headers = { authorization: `Bearer ${res.json().token}` };
      const invitations = await gateway.request({ method: 'GET', url: '/v1/me/invitations', headers });
      expect(invitations.statusCode).toBe(403);
      expect(invitations.json().code).toBe('email.unverified');
      gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [], nextAfter: null }));
      await gateway.request({ method: 'GET', url: '/v1/accounts', headers });
      expect(gateway.client.sentTo(subjects.membership.accountsOfUser)[0].payload.userId).toBe('bob-1');
    });

    it('refuses a bad e-mail, naming the field', async () => {
      const res = await issue({ email: 'not-an-email' });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe('email');
    });
  });
});
