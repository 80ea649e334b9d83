import { randomUUID } from 'node:crypto';
import { ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('accounts over HTTP', () => {
  let gateway: Harness;
  const olivia = person({ email: 'olivia@example.com' });
  let token: string;

  beforeAll(async () => {
    gateway = await startGateway();
    token = await tokenFor(olivia);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('creates an account (201) with the caller as owner and the command metadata of the request', async () => {
    const accountId = randomUUID();
    const requestId = randomUUID();
    gateway.client.on(subjects.membership.createAccount, ok({ id: accountId, name: 'Acme', position: 7 }));

    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), 'x-request-id': requestId },
      payload: { name: '  Acme  ' },
    });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: accountId, name: 'Acme', position: 7 });
    expect(res.headers['x-request-id']).toBe(requestId);
    const [sent] = gateway.client.sentTo(subjects.membership.createAccount);
    expect(sent.payload).toEqual({ name: 'Acme', owner: { userId: olivia.userId, email: olivia.email } });
    expect(sent.metadata!.actor).toEqual({ userId: olivia.userId, via: 'session' });
    expect(sent.metadata!.correlationId).toBe(requestId);
    expect(Math.abs(Date.parse(sent.metadata!.now) - Date.now())).toBeLessThan(5_000);
  });

  it('makes up a correlation id when x-request-id is not a UUID, and echoes it', async () => {
    gateway.client.on(subjects.membership.createAccount, ok({ id: randomUUID(), name: 'Acme', position: 1 }));
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), 'x-request-id': 'drop table; --' },
      payload: { name: 'Acme' },
    });
    const [sent] = gateway.client.sentTo(subjects.membership.createAccount);
    expect(sent.metadata!.correlationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(res.headers['x-request-id']).toBe(sent.metadata!.correlationId);
  });

  it.each([
    ['missing', {}],
    ['blank once trimmed', { name: '   ' }],
    ['too long', { name: 'x'.repeat(101) }],
    ['not a string', { name: 42 }],
  ])('refuses a name that is %s: 400 naming `name`, nothing sent', async (_case, body) => {
    const res = await gateway.request({ method: 'POST', url: '/v1/accounts', headers: bearer(token), payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'request.invalid', field: 'name' });
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('name');
    expect(gateway.client.sent).toEqual([]);
  });

  it('refuses an unknown field, naming it', async () => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: bearer(token),
      payload: { name: 'Acme', ownerId: 'someone-else' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'ownerId',
      errors: [{ field: 'ownerId', message: 'property ownerId should not exist' }],
    });
    expect(gateway.client.sent).toEqual([]);
  });

  it('refuses malformed JSON with a 400 problem', async () => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'request.malformed_json', field: 'body' });
  });

  it('refuses a prototype-poisoning body', async () => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"name":"Acme","__proto__":{"admin":true}}',
    });
    expect(res.statusCode).toBe(400);
    expect(gateway.client.sent).toEqual([]);
  });

  it('lists the accounts of the caller, passing minPosition', async () => {
    const view = { id: randomUUID(), name: 'Acme', role: 'owner', ownerEmail: olivia.email, isRootOwner: true };
    gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [view], nextAfter: null }));
    const res = await gateway.request({ method: 'GET', url: '/v1/accounts?minPosition=12', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [view], next: null });
    expect(res.headers['link']).toBeUndefined();
    expect(gateway.client.sentTo(subjects.membership.accountsOfUser)).toEqual([
      { payload: { userId: olivia.userId, limit: 50 }, minPosition: 12 },
    ]);
  });

  it('omits minPosition from the query when not asked', async () => {
    gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [], nextAfter: null }));
    await gateway.request({ method: 'GET', url: '/v1/accounts', headers: bearer(token) });
    expect(gateway.client.sentTo(subjects.membership.accountsOfUser)).toEqual([
      { payload: { userId: olivia.userId, limit: 50 } },
    ]);
  });

  it.each(['-1', 'abc', '1.5', '', '99999999999999999'])(
    'refuses minPosition=%s: 400 naming minPosition',
    async (value) => {
      const res = await gateway.request({
        method: 'GET',
        url: `/v1/accounts?minPosition=${value}`,
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ field: 'minPosition', errors: [{ field: 'minPosition' }] });
      expect(gateway.client.sent).toEqual([]);
    },
  );
});
