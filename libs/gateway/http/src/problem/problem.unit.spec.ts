import { fail, ok, subjects, type ErrorKind } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';
import { problemFor } from './problem';

describe('problemFor: the one mapping of error values to HTTP', () => {
  it.each<[ErrorKind, number]>([
    ['validation', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['gone', 410],
    ['rate_limited', 429],
    ['stale', 503],
    ['unavailable', 503],
  ])('%s → %i', (kind, status) => {
    const { problem } = problemFor({ kind, code: 'x.y', message: 'why' });
    expect(problem).toMatchObject({ status, code: 'x.y', detail: 'why', type: `urn:accord:problem:${kind}` });
    expect(problem.title).toEqual(expect.any(String));
  });

  it('validation names the field, other kinds do not carry field lists', () => {
    expect(problemFor({ kind: 'validation', code: 'c', message: 'bad', field: 'name' }).problem).toMatchObject({
      field: 'name',
      errors: [{ field: 'name', message: 'bad' }],
    });
    expect(problemFor({ kind: 'conflict', code: 'c', message: 'bad', field: 'name' }).problem).not.toHaveProperty(
      'field',
    );
  });

  it('Retry-After: as asked for 429 (1 s by default), always 1 for stale, 2 s for unavailable unless told', () => {
    expect(problemFor({ kind: 'rate_limited', code: 'c', message: 'm', retryAfterSeconds: 30 }).headers).toEqual({
      'retry-after': '30',
    });
    expect(problemFor({ kind: 'rate_limited', code: 'c', message: 'm' }).headers).toEqual({ 'retry-after': '1' });
    expect(problemFor({ kind: 'stale', code: 'c', message: 'm' }).headers).toEqual({ 'retry-after': '1' });
    // Drill "PostgreSQL restart -m fast": 503s went out without Retry-After.
    expect(problemFor({ kind: 'unavailable', code: 'c', message: 'm' }).headers).toEqual({ 'retry-after': '2' });
    expect(problemFor({ kind: 'unavailable', code: 'c', message: 'm', retryAfterSeconds: 5 }).headers).toEqual({
      'retry-after': '5',
    });
  });
});

describe('problem+json over HTTP', () => {
  let gateway: Harness;
  let headers: Record<string, string>;

  beforeAll(async () => {
    gateway = await startGateway();
    headers = bearer(await tokenFor(person()));
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  const listAccounts = () => gateway.request({ method: 'GET', url: '/v1/accounts', headers });

  it.each<[ErrorKind, number]>([
    ['validation', 400],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['gone', 410],
    ['unavailable', 503],
  ])("a service's %s error value → %i problem+json", async (kind, status) => {
    gateway.client.on(subjects.membership.accountsOfUser, fail({ kind, code: 'svc.code', message: 'service says no' }));
    const res = await listAccounts();
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status, code: 'svc.code', detail: 'service says no' });
  });

  it('rate_limited → 429 with the Retry-After the service gave', async () => {
    gateway.client.on(
      subjects.membership.accountsOfUser,
      fail({ kind: 'rate_limited', code: 'rate.limited', message: 'slow down', retryAfterSeconds: 7 }),
    );
    const res = await listAccounts();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('stale → 503 with Retry-After: 1', async () => {
    gateway.client.on(
      subjects.membership.accountsOfUser,
      fail({ kind: 'stale', code: 'read_model.stale', message: 'catching up' }),
    );
    const res = await listAccounts();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('no responder (the port answers unavailable) → 503', async () => {
    const res = await listAccounts();
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('test.no_responder');
  });

  it('a request client that throws despite its contract → 503, its message kept out of the answer', async () => {
    gateway.client.on(subjects.membership.accountsOfUser, () => {
      throw new Error('password=hunter2 at db.internal');
    });
    const res = await listAccounts();
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('hunter2');
  });

  it('an unexpected failure → 500 problem with neither message nor stack', async () => {
    gateway.client.on(subjects.membership.createAccount, ok(null));
    const res = await gateway.request({ method: 'POST', url: '/v1/accounts', headers, payload: { name: 'Acme' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual(expect.objectContaining({ status: 500, code: 'internal' }));
    expect(res.body).not.toMatch(/Cannot read|TypeError|\.ts:\d+/);
  });

  it('unknown route → 404 problem, with x-request-id', async () => {
    const res = await gateway.request({ method: 'GET', url: '/v2/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'route.not_found' });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it.each([
    ['a JSON array', '[{"name":"Acme"}]'],
    ['a JSON string', '"Acme"'],
    ['JSON null', 'null'],
  ])('a body that is %s → 400 naming body', async (_case, payload) => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...headers, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'body' });
    expect(gateway.client.sent).toEqual([]);
  });

  it('a body that is not JSON → 415 problem', async () => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'Acme',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a body over the limit → 413 problem', async () => {
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers,
      payload: { name: 'x'.repeat(70_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
