import { randomUUID } from 'node:crypto';
import { fail, ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('invitations over HTTP', () => {
  let gateway: Harness;
  const mike = person({ email: 'Mike@example.com', emailVerified: true });

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  describe('GET /v1/me/invitations', () => {
    it('403 email.unverified when the e-mail address is not verified, and nothing is asked', async () => {
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/invitations',
        headers: bearer(await tokenFor({ ...mike, emailVerified: false })),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'email.unverified',
        detail: 'verify your e-mail address to see invitations sent to it',
      });
      expect(gateway.client.sent).toEqual([]);
    });

    it('a missing email_verified claim counts as unverified', async () => {
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/invitations',
        headers: bearer(await tokenFor(mike, { claims: { email_verified: 'yes' } })),
      });
      expect(res.statusCode).toBe(403);
    });

    it("lists the invitations for the caller's e-mail, never the access name", async () => {
      const view = {
        id: randomUUID(),
        accountId: randomUUID(),
        accountName: 'Acme',
        inviterEmail: 'olivia@example.com',
        role: 'administrator',
        scope: { type: 'global' },
        status: 'pending',
        message: null,
        expiresAt: '2030-01-04T00:00:00.000Z',
      };
      gateway.client.on(
        subjects.invitation.invitationsForEmail,
        ok({ items: [{ ...view, name: 'Secret project' }], nextAfter: null }),
      );
      const res = await gateway.request({
        method: 'GET',
        url: '/v1/me/invitations?minPosition=3',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [view], next: null });
      expect(gateway.client.sentTo(subjects.invitation.invitationsForEmail)).toEqual([
        { payload: { email: 'Mike@example.com', limit: 50 }, minPosition: 3 },
      ]);
    });
  });

  describe('POST /v1/invitations/:id/accept', () => {
    const invitationId = randomUUID();
    const accepted = { invitationId, accountId: randomUUID(), status: 'accepted', position: 11 };

    it.each([
      ['no body', {}],
      ['an empty JSON body', { payload: {} }],
      ['a JSON content type and no body', { headers: { 'content-type': 'application/json' } }],
    ])(
      'accepts with %s, sending the caller as the person (200)',
      async (_case, extra: { payload?: object; headers?: Record<string, string> }) => {
        gateway.client.on(subjects.invitation.acceptInvitation, ok(accepted));
        const res = await gateway.request({
          method: 'POST',
          url: `/v1/invitations/${invitationId}/accept`,
          ...extra,
          headers: { ...bearer(await tokenFor(mike)), ...extra.headers },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual(accepted);
        const [sent] = gateway.client.sentTo(subjects.invitation.acceptInvitation);
        expect(sent.payload).toEqual({
          invitationId,
          person: { userId: mike.userId, email: 'Mike@example.com', emailVerified: true },
        });
        expect(sent.metadata!.actor).toEqual({ userId: mike.userId, via: 'session' });
      },
    );

    it('passes ?minPosition= on to the service, which finds the invitation through its read model', async () => {
      gateway.client.on(subjects.invitation.acceptInvitation, ok(accepted));
      const res = await gateway.request({
        method: 'POST',
        url: `/v1/invitations/${invitationId}/accept?minPosition=7`,
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(200);
      expect(gateway.client.sentTo(subjects.invitation.acceptInvitation)[0]!.minPosition).toBe(7);
    });

    it("maps the service's refusal (not the addressee → 404)", async () => {
      gateway.client.on(
        subjects.invitation.acceptInvitation,
        fail({ kind: 'not_found', code: 'invitation.not_found', message: 'invitation not found' }),
      );
      const res = await gateway.request({
        method: 'POST',
        url: `/v1/invitations/${invitationId}/accept`,
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'invitation.not_found' });
    });

    it('a non-UUID invitation id is 404 invitation.not_found', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/invitations/123/accept',
        headers: bearer(await tokenFor(mike)),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('invitation.not_found');
      expect(gateway.client.sent).toEqual([]);
    });
  });

  describe('GET /v1/invitations/by-token/:token', () => {
    it('shows account name, inviter e-mail, role, scope, message and expiry, never the access name', async () => {
      const view = {
        invitationId: randomUUID(),
        accountId: randomUUID(),
        accountName: 'Acme',
        inviterEmail: 'olivia@example.com',
        role: 'accountant',
        scope: { type: 'global' },
        message: 'Welcome',
        expiresAt: '2030-01-04T00:00:00.000Z',
      };
      gateway.client.on(subjects.invitation.invitationByToken, ok({ ...view, name: 'Secret project' }));
      const res = await gateway.request({ method: 'GET', url: '/v1/invitations/by-token/inv_abc' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toStrictEqual(view);
    });
  });
});
