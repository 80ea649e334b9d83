import { ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('GET /v1/me', () => {
  let gateway: Harness;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('names the signed-in person from the session alone: no service is asked', async () => {
    const who = person({ email: 'Olivia@Example.com', emailVerified: false });
    const res = await gateway.request({ method: 'GET', url: '/v1/me', headers: bearer(await tokenFor(who)) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      userId: who.userId,
      email: 'Olivia@Example.com',
      emailVerified: false,
      via: 'session',
    });
    expect(gateway.client.sent).toEqual([]);
  });

  it('while impersonating: the user, the admin behind it, and the read is recorded first', async () => {
    gateway.client.on(subjects.membership.recordImpersonatedRead, ok({ position: 1 }));
    const who = person();
    const res = await gateway.request({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(await tokenFor(who, { claims: { act: { sub: 'admin-1', platform_admin: true } } })),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: who.userId, via: 'impersonation', impersonatorId: 'admin-1' });
    expect(gateway.client.sentTo(subjects.membership.recordImpersonatedRead)).toHaveLength(1);
  });

  it('is not public: no token is a 401', async () => {
    expect((await gateway.request({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });

  it('is documented, API tokens accepted', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.paths['/v1/me'].get).toMatchObject({
      operationId: 'getMe',
      security: expect.arrayContaining([{ bearer: [] }, { apiToken: [] }]),
    });
  });
});
