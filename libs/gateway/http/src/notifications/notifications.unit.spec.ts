import { randomUUID } from 'node:crypto';
import { fail, ok, subjects, type InboxView } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('the in-app inbox over HTTP', () => {
  let gateway: Harness;
  const mike = person({ email: 'Mike@example.com', emailVerified: true });
  const unverified = { ...mike, emailVerified: false };

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  describe('GET /v1/me/notifications', () => {
    const view: InboxView = {
      unread: 1,
      nextAfter: null,
      items: [
        {
          id: randomUUID(),
          kind: 'access_shared',
          accountId: randomUUID(),
          text: 'olivia@example.com shared access to Acme with you (administrator).',
          createdAt: '2030-01-02T00:00:00.000Z',
          read: false,
        },
        {
          id: randomUUID(),
          kind: 'role_changed',
          accountId: randomUUID(),
          text: 'Your role in Beta is now accountant.',
          createdAt: '2030-01-01T00:00:00.000Z',
          read: true,
        },
      ],
    };

    it("answers the inbox of the caller's verified e-mail as the service gives it, passing ?minPosition= on", async () => {
      gateway.client.on(subjects.notification.inbox, ok(view));
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/notifications?minPosition=5',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ unread: 1, items: view.items, next: null });
      expect(gateway.client.sentTo(subjects.notification.inbox)).toEqual([
        { payload: { email: 'Mike@example.com', limit: 50 }, minPosition: 5 },
      ]);
    });

    it('without ?minPosition= the query carries none', async () => {
      gateway.client.on(subjects.notification.inbox, ok({ unread: 0, items: [], nextAfter: null }));
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/notifications',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(gateway.client.sentTo(subjects.notification.inbox)).toEqual([
        { payload: { email: 'Mike@example.com', limit: 50 } },
      ]);
    });

    it('403 email.unverified when the e-mail address is not verified, and nothing is asked', async () => {
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/notifications',
        headers: bearer(await tokenFor(unverified)),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'email.unverified' });
      expect(gateway.client.sent).toEqual([]);
    });

    it('400 naming minPosition when it is not a non-negative integer', async () => {
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/notifications?minPosition=-1',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toContain('minPosition');
      expect(gateway.client.sent).toEqual([]);
    });

    it('401 without a session', async () => {
      const res = await gateway.request({ method: 'GET', url: '/v1/me/notifications' });
      expect(res.statusCode).toBe(401);
      expect(gateway.client.sent).toEqual([]);
    });
  });

  describe('POST /v1/me/notifications/read-all', () => {
    it("marks the caller's whole inbox read (200) and says how many were unread", async () => {
      gateway.client.on(subjects.notification.markAllRead, ok({ marked: 3 }));
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/me/notifications/read-all',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ marked: 3 });
      const [sent] = gateway.client.sentTo(subjects.notification.markAllRead);
      expect(sent!.payload).toEqual({ email: 'Mike@example.com' });
      expect(sent!.metadata!.actor).toEqual({ userId: mike.userId, via: 'session' });
    });

    it('403 email.unverified when the e-mail address is not verified, and nothing is sent', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/me/notifications/read-all',
        headers: bearer(await tokenFor(unverified)),
      });
      expect(res.statusCode).toBe(403);
      expect(gateway.client.sent).toEqual([]);
    });
  });

  describe('POST /v1/me/notifications/:id/read', () => {
    const notificationId = randomUUID();

    it("marks the caller's notice read (200), on behalf of the caller", async () => {
      gateway.client.on(subjects.notification.markRead, ok({ read: true }));
      const res = await gateway.request({
        method: 'POST',
        url: `/v1/me/notifications/${notificationId.toUpperCase()}/read`,
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ read: true });
      const [sent] = gateway.client.sentTo(subjects.notification.markRead);
      expect(sent!.payload).toEqual({ email: 'Mike@example.com', notificationId });
      expect(sent!.metadata!.actor).toEqual({ userId: mike.userId, via: 'session' });
    });

    it("someone else's or an unknown notice is 404 notification.not_found", async () => {
      gateway.client.on(
        subjects.notification.markRead,
        fail({ kind: 'not_found', code: 'notification.not_found', message: 'No such notification.' }),
      );
      const res = await gateway.request({
        method: 'POST',
        url: `/v1/me/notifications/${notificationId}/read`,
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'notification.not_found' });
    });

    it('a non-UUID id is 404 notification.not_found, and nothing is sent', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/me/notifications/42/read',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('notification.not_found');
      expect(gateway.client.sent).toEqual([]);
    });

    it('403 email.unverified when the e-mail address is not verified, and nothing is sent', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: `/v1/me/notifications/${notificationId}/read`,
        headers: bearer(await tokenFor(unverified)),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'email.unverified' });
      expect(gateway.client.sent).toEqual([]);
    });
  });
});
