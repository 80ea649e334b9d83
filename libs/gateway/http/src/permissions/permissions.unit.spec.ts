import { ok, subjects, type PermissionCatalogView } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';

describe('GET /v1/permissions', () => {
  let gateway: Harness;
  const catalog: PermissionCatalogView = {
    levels: ['read', 'manage'],
    sections: [
      {
        name: 'domains',
        implies: ['domain-administrators'],
        grantableLevels: ['read', 'manage'],
        ownerOnly: false,
        availableToAll: false,
        accountLevel: false,
      },
    ],
    roles: [{ name: 'accountant', permissions: ['billing:manage'] }],
    special: ['environments:create', 'servers:transfer'],
  };

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('answers the catalog as the membership service gives it, to any signed-in caller', async () => {
    gateway.client.on(subjects.membership.permissionCatalog, ok(catalog));
    // Unverified and in no account: the catalog names nobody's grants.
    const who = person({ emailVerified: false });
    const res = await gateway.request({ method: 'GET', url: '/v1/permissions', headers: bearer(await tokenFor(who)) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(catalog);
    expect(gateway.client.sentTo(subjects.membership.permissionCatalog)).toEqual([{ payload: {} }]);
  });

  it('is not public: no token is a 401 and no service is asked', async () => {
    const res = await gateway.request({ method: 'GET', url: '/v1/permissions' });
    expect(res.statusCode).toBe(401);
    expect(gateway.client.sentTo(subjects.membership.permissionCatalog)).toEqual([]);
  });

  it('refuses unknown query parameters as every route does', async () => {
    const res = await gateway.request({
      method: 'GET',
      url: '/v1/permissions?x=1',
      headers: bearer(await tokenFor(person())),
    });
    expect(res.statusCode).toBe(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.paths['/v1/permissions'].get).toMatchObject({
      operationId: 'getPermissionCatalog',
      security: expect.arrayContaining([{ bearer: [] }, { apiToken: [] }]),
    });
  });
});
