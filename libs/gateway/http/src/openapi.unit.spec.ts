import { startGateway, type Harness } from './testing/gateway-harness';

describe('OpenAPI', () => {
  let gateway: Harness;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('serves the document at /docs-json without a token, with the Bearer scheme and the DTO schemas', async () => {
    const res = await gateway.request({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/v1/accounts',
        '/v1/accounts/{accountId}/accesses',
        '/v1/accounts/{accountId}/members',
        '/v1/me/invitations',
        '/v1/invitations/{invitationId}/accept',
      ]),
    );
    expect(doc.paths['/v1/dev/tokens']).toBeUndefined();
    expect(doc.components.schemas.ShareAccessDto.properties.recipients).toMatchObject({ type: 'array', maxItems: 50 });
    expect(doc.paths['/v1/accounts'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'minPosition', in: 'query' })]),
    );
    expect(doc.paths['/v1/accounts'].post.security).toEqual([{ bearer: [] }]);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await gateway.request({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
