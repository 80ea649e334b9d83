import { randomUUID } from 'node:crypto';
import { fail, ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('accesses over HTTP', () => {
  let gateway: Harness;
  const olivia = person({ email: 'olivia@example.com' });
  let token: string;
  const accountId = randomUUID();
  const url = `/v1/accounts/${accountId}/accesses`;
  const valid = {
    name: 'Ops team',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'administrator',
    recipients: ['mike@example.com'],
  };

  beforeAll(async () => {
    gateway = await startGateway();
    token = await tokenFor(olivia);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  const share = (payload: unknown) =>
    gateway.request({ method: 'POST', url, headers: bearer(token), payload: payload as object });
  const allowOwner = () =>
    gateway.client.on(subjects.authz.check, ok({ allowed: true, reason: 'owner', role: 'owner' }));

  describe('share', () => {
    it('checks users:manage, then sends ShareAccess and answers 201 with the result', async () => {
      allowOwner();
      const result = {
        id: randomUUID(),
        invitations: [{ id: randomUUID(), email: 'mike@example.com', status: 'pending' }],
        expiresAt: '2030-01-01T00:00:00.000Z',
        position: 9,
      };
      gateway.client.on(subjects.invitation.shareAccess, ok(result));

      const res = await share({ ...valid, recipients: [' mike@example.com '], message: 'welcome' });

      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual(result);
      expect(gateway.client.sent.map((s) => s.subject)).toEqual([
        subjects.authz.check,
        subjects.invitation.shareAccess,
      ]);
      expect(gateway.client.sentTo(subjects.authz.check)).toEqual([
        { payload: { userId: olivia.userId, accountId, permission: 'users:manage', confirmDenial: true } },
      ]);
      const [sent] = gateway.client.sentTo(subjects.invitation.shareAccess);
      expect(sent.payload).toEqual({
        accountId,
        name: 'Ops team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: ['mike@example.com'],
        message: 'welcome',
      });
      expect(sent.metadata!.actor).toEqual({ userId: olivia.userId, via: 'session' });
    });

    it('a non-member gets 404 account.not_found (the account is never revealed) and nothing is shared', async () => {
      gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member' }));
      const res = await share(valid);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'account.not_found', status: 404 });
      expect(res.body).not.toContain('not a member');
      expect(gateway.client.sentTo(subjects.invitation.shareAccess)).toEqual([]);
    });

    it('a member without the permission gets 403 with the reason', async () => {
      gateway.client.on(
        subjects.authz.check,
        ok({ allowed: false, reason: 'accountant may not manage users', role: 'accountant' }),
      );
      const res = await share(valid);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ status: 403, detail: 'accountant may not manage users' });
      expect(gateway.client.sentTo(subjects.invitation.shareAccess)).toEqual([]);
    });

    it('maps an error value of the invitation service (409)', async () => {
      allowOwner();
      gateway.client.on(
        subjects.invitation.shareAccess,
        fail({ kind: 'conflict', code: 'access.already_member', message: 'mike@example.com is already a member' }),
      );
      const res = await share(valid);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        type: 'urn:accord:problem:conflict',
        title: 'Conflict',
        status: 409,
        detail: 'mike@example.com is already a member',
        code: 'access.already_member',
      });
    });

    it('a path id that is not a UUID is 404, and nothing is asked', async () => {
      const res = await gateway.request({
        method: 'POST',
        url: '/v1/accounts/acme/accesses',
        headers: bearer(token),
        payload: valid,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('account.not_found');
      expect(gateway.client.sent).toEqual([]);
    });

    it.each([
      ['a bad e-mail', { recipients: ['mike@example.com', 'not-an-email'] }, 'recipients[1]'],
      ['an over-long e-mail', { recipients: [`${'a'.repeat(250)}@example.com`] }, 'recipients[0]'],
      ['a duplicate after normalizing', { recipients: ['Mike@example.com', 'mike@example.com '] }, 'recipients[1]'],
      ['no recipients', { recipients: [] }, 'recipients'],
      ['51 recipients', { recipients: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`) }, 'recipients'],
      ['recipients not a list', { recipients: 'mike@example.com' }, 'recipients'],
      ['a name too long', { name: 'x'.repeat(101) }, 'name'],
      ['an unknown type', { type: 'friend' }, 'type'],
      ['an unknown role', { role: 'god' }, 'role'],
      ['a missing scope', { scope: undefined }, 'scope'],
      ['an unknown scope type', { scope: { type: 'everything' } }, 'scope.type'],
      [
        'restricted scope for the owner role (owners are global)',
        { role: 'owner', scope: { type: 'restricted', billingAccountId: randomUUID() } },
        'scope',
      ],
      ['restricted scope without billing account', { scope: { type: 'restricted' } }, 'scope.billingAccountId'],
      ['an unknown field in scope', { scope: { type: 'global', accountId: randomUUID() } }, 'scope.accountId'],
      ['a message too long', { message: 'x'.repeat(1001) }, 'message'],
      ['an unknown field', { sharedBy: randomUUID() }, 'sharedBy'],
    ])('refuses %s: 400 naming %s, nothing sent', async (_case, change, field) => {
      allowOwner();
      const res = await share({ ...valid, ...change });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json();
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(problem.field).toBe(problem.errors[0].field);
      expect(gateway.client.sent).toEqual([]);
    });
  });

  describe('list', () => {
    it('checks users:manage and queries the accesses, passing minPosition to both', async () => {
      allowOwner();
      const view = {
        id: randomUUID(),
        name: 'Ops team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        sharedBy: olivia.userId,
        sharedAt: '2030-01-01T00:00:00.000Z',
        expiresAt: '2030-01-04T00:00:00.000Z',
        recipients: [{ email: 'mike@example.com', invitationId: randomUUID(), status: 'pending' }],
      };
      gateway.client.on(subjects.invitation.accessesOfAccount, ok({ items: [view], nextAfter: null }));
      const res = await gateway.request({ method: 'GET', url: `${url}?minPosition=5`, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [view], next: null });
      expect(gateway.client.sentTo(subjects.authz.check)).toEqual([
        {
          payload: { userId: olivia.userId, accountId, permission: 'users:manage', confirmDenial: true },
          minPosition: 5,
        },
      ]);
      expect(gateway.client.sentTo(subjects.invitation.accessesOfAccount)).toEqual([
        { payload: { accountId, limit: 50 }, minPosition: 5 },
      ]);
    });

    it('an access shared by another owner shows sharedBy and a null name', async () => {
      allowOwner();
      const other = randomUUID();
      const view = {
        id: randomUUID(),
        name: 'Secret project',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        sharedBy: other,
        sharedAt: '2030-01-01T00:00:00.000Z',
        expiresAt: '2030-01-04T00:00:00.000Z',
        recipients: [],
      };
      gateway.client.on(
        subjects.invitation.accessesOfAccount,
        ok({ items: [view, { ...view, sharedBy: olivia.userId }], nextAfter: null }),
      );
      const res = await gateway.request({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        { ...view, name: null },
        { ...view, sharedBy: olivia.userId },
      ]);
      expect(res.body).toContain('Secret project');
      expect(JSON.stringify(res.json().items[0])).not.toContain('Secret project');
    });

    it('an ended recipient row says when and why; other rows carry no end fields', async () => {
      allowOwner();
      const pending = { email: 'ann@example.com', invitationId: randomUUID(), status: 'pending', expiresAt: 'x' };
      const ended = {
        email: 'mike@example.com',
        invitationId: randomUUID(),
        status: 'ended',
        expiresAt: '2030-01-04T00:00:00.000Z',
        endedAt: '2030-01-02T00:00:00.000Z',
        endedReason: 'left',
      };
      const view = {
        id: randomUUID(),
        name: 'Ops team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        sharedBy: olivia.userId,
        sharedAt: '2030-01-01T00:00:00.000Z',
        expiresAt: '2030-01-04T00:00:00.000Z',
        recipients: [pending, ended],
      };
      gateway.client.on(subjects.invitation.accessesOfAccount, ok({ items: [view], nextAfter: null }));
      const res = await gateway.request({ method: 'GET', url, headers: bearer(token) });
      expect(res.json().items[0].recipients).toStrictEqual([pending, ended]);
    });

    it('a non-member gets 404', async () => {
      gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member' }));
      const res = await gateway.request({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode).toBe(404);
      expect(gateway.client.sentTo(subjects.invitation.accessesOfAccount)).toEqual([]);
    });

    it('a stale authorization check is 503 with Retry-After: 1', async () => {
      gateway.client.on(
        subjects.authz.check,
        fail({ kind: 'stale', code: 'read_model.stale', message: 'not caught up yet' }),
      );
      const res = await gateway.request({ method: 'GET', url: `${url}?minPosition=99`, headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    });
  });
});
