import { ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('authentication', () => {
  let gateway: Harness;
  const olivia = person();

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  const listAccounts = (headers: Record<string, string> = {}) =>
    gateway.request({ method: 'GET', url: '/v1/accounts', headers });

  function expect401(res: Awaited<ReturnType<typeof listAccounts>>, code: string) {
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer /);
    expect(res.json()).toMatchObject({ status: 401, code, type: 'urn:accord:problem:unauthenticated' });
    expect(gateway.client.sent).toEqual([]);
  }

  it('accepts a valid token and sends as its subject', async () => {
    gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [], nextAfter: null }));
    const res = await listAccounts(bearer(await tokenFor(olivia)));
    expect(res.statusCode).toBe(200);
    expect(gateway.client.sentTo(subjects.membership.accountsOfUser)[0].payload).toEqual({
      userId: olivia.userId,
      limit: 50,
    });
  });

  it('401 without a token, with WWW-Authenticate: Bearer', async () => {
    const res = await listAccounts();
    expect401(res, 'auth.missing_token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="accord"');
  });

  it('401 for a header that is not a bearer token', async () => {
    expect401(await listAccounts({ authorization: 'Basic b2xpdmlhOnNlY3JldA==' }), 'auth.invalid_token');
  });

  it('401 for garbage in place of a JWT', async () => {
    const res = await listAccounts(bearer('not.a.jwt'));
    expect401(res, 'auth.invalid_token');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('401 for a token signed with another secret', async () => {
    expect401(
      await listAccounts(bearer(await tokenFor(olivia, { secret: 'another-secret-of-at-least-32-characters!!' }))),
      'auth.invalid_token',
    );
  });

  it('401 for an expired token', async () => {
    const expired = await tokenFor(olivia, { expiresAt: Math.floor(Date.now() / 1000) - 60 });
    expect401(await listAccounts(bearer(expired)), 'auth.token_expired');
  });

  it('401 for a token of another algorithm, even with the right secret', async () => {
    expect401(await listAccounts(bearer(await tokenFor(olivia, { alg: 'HS512' }))), 'auth.invalid_token');
  });

  it('401 for an unsigned (alg none) token', async () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: olivia.userId, email: olivia.email, exp: Math.floor(Date.now() / 1000) + 60 })}.x`;
    expect401(await listAccounts(bearer(unsigned)), 'auth.invalid_token');
  });

  it('401 for a token without an e-mail claim', async () => {
    expect401(
      await listAccounts(bearer(await tokenFor(olivia, { claims: { email: undefined } }))),
      'auth.invalid_token',
    );
  });

  it('never echoes why jose refused the token', async () => {
    const res = await listAccounts(
      bearer(await tokenFor(olivia, { secret: 'another-secret-of-at-least-32-characters!!' })),
    );
    expect(res.body).not.toMatch(/signature verification failed/i);
  });

  it('GET /health needs no token', async () => {
    const res = await gateway.request({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});
