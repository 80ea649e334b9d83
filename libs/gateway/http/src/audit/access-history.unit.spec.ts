import { randomUUID } from 'node:crypto';
import { ok, subjects, type AccessAtAnswer } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

// GET /v1/accounts/:accountId/access-history (issue 11): owners only, never under impersonation,
// every parameter checked before anything is asked.

describe('access history over HTTP', () => {
  let gateway: Harness;
  const olivia = person();
  const accountId = randomUUID();
  const billingAccountId = randomUUID();
  const OWNER = { allowed: true, reason: 'root owner', role: 'owner', scope: { type: 'global' } };
  const answer: AccessAtAnswer = {
    allowed: true,
    reason: 'role accountant',
    at: '2030-01-01T00:15:00.000Z',
    role: 'accountant',
    scope: { type: 'global' },
    grants: [
      {
        eventId: randomUUID(),
        type: 'MemberJoined',
        occurredAt: '2030-01-01T00:10:00.000Z',
        actor: { userId: 'auth0|mike', via: 'system' },
        what: 'role accountant',
      },
    ],
  };
  const get = async (query: string, claims?: Record<string, unknown>) =>
    gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId}/access-history${query}`,
      headers: bearer(await tokenFor(olivia, claims ? { claims } : {})),
    });
  const valid = '?userId=auth0%7Cmike&permission=billing:manage&at=2030-01-01T00:15:00Z';

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('an owner gets the answer: checks users:manage, then asks the membership service', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.accessHistory, ok(answer));
    const res = await get(`${valid}&billingAccountId=${billingAccountId}&minPosition=3`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(answer);
    expect(gateway.client.sentTo(subjects.authz.check)).toEqual([
      {
        payload: { userId: olivia.userId, accountId, permission: 'users:manage', confirmDenial: true },
        minPosition: 3,
      },
    ]);
    expect(gateway.client.sentTo(subjects.membership.accessHistory)).toEqual([
      {
        payload: {
          accountId,
          userId: 'auth0|mike',
          permission: 'billing:manage',
          at: '2030-01-01T00:15:00Z',
          billingAccountId,
        },
      },
    ]);
  });

  it('an offset in `at` arrives as given when URL-encoded', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.accessHistory, ok(answer));
    const res = await get('?userId=u1&permission=vps:read&at=2030-01-01T02:15:00%2B02:00');
    expect(res.statusCode).toBe(200);
    expect(gateway.client.sentTo(subjects.membership.accessHistory)[0].payload).toMatchObject({
      at: '2030-01-01T02:15:00+02:00',
    });
  });

  it('a member who is not an owner gets 403, and nothing is asked', async () => {
    gateway.client.on(
      subjects.authz.check,
      ok({ allowed: false, reason: 'users is available to account owners only', role: 'administrator' }),
    );
    const res = await get(valid);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'authz.denied', detail: 'users is available to account owners only' });
    expect(gateway.client.sentTo(subjects.membership.accessHistory)).toEqual([]);
  });

  it('a non-member gets 404 as for an account that does not exist', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member of this account' }));
    const res = await get(valid);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('account.not_found');
    expect(gateway.client.sentTo(subjects.membership.accessHistory)).toEqual([]);
  });

  it('a platform admin impersonating the owner is refused before anything is asked', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.accessHistory, ok(answer));
    const res = await get(valid, { act: { sub: 'admin-1', platform_admin: true } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('impersonation.forbidden');
    expect(gateway.client.sent).toEqual([]);
  });

  it.each([
    ['at', '?userId=u1&permission=vps:read'],
    ['at', '?userId=u1&permission=vps:read&at=yesterday'],
    ['at', '?userId=u1&permission=vps:read&at=2030-01-01'],
    ['at', '?userId=u1&permission=vps:read&at=2030-01-01T00:00:00'],
    ['at', '?userId=u1&permission=vps:read&at=2030-02-30T00:00:00Z'],
    // An unencoded `+` is a space in a query string: the offset is lost, and so is the instant.
    ['at', '?userId=u1&permission=vps:read&at=2030-01-01T02:00:00+02:00'],
    ['at', '?userId=u1&permission=vps:read&at=2030-01-01T00:00:00Z&at=2030-01-02T00:00:00Z'],
    ['userId', '?permission=vps:read&at=2030-01-01T00:00:00Z'],
    ['userId', '?userId=a%2Fb&permission=vps:read&at=2030-01-01T00:00:00Z'],
    ['permission', '?userId=u1&at=2030-01-01T00:00:00Z'],
    ['permission', `?userId=u1&permission=${'x'.repeat(201)}&at=2030-01-01T00:00:00Z`],
    ['billingAccountId', '?userId=u1&permission=vps:read&at=2030-01-01T00:00:00Z&billingAccountId=b1'],
    ['minPosition', '?userId=u1&permission=vps:read&at=2030-01-01T00:00:00Z&minPosition=-1'],
    ['since', '?userId=u1&permission=vps:read&at=2030-01-01T00:00:00Z&since=x'],
  ])('400 naming %s (case %#), before anything is asked', async (field, query) => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    const res = await get(query);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
    expect(gateway.client.sentTo(subjects.membership.accessHistory)).toEqual([]);
  });

  it('is documented in OpenAPI with its query parameters and answer', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    const operation = doc.paths['/v1/accounts/{accountId}/access-history'].get;
    expect(operation.summary).toMatch(/permission at an instant/);
    expect(operation.parameters).toEqual(
      expect.arrayContaining(
        ['userId', 'permission', 'at'].map((name) => expect.objectContaining({ name, in: 'query', required: true })),
      ),
    );
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AccessAtAnswerDoc',
    });
    expect(doc.components.schemas.AccessAtAnswerDoc.properties.grants).toMatchObject({ type: 'array' });
    expect(operation.responses.default).toBeDefined();
  });
});
