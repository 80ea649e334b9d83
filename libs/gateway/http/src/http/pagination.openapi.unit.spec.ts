import { startGateway, type Harness } from '../testing/gateway-harness';

// Every list route documents its page: `limit` and `cursor`, a page schema whose `items` are typed,
// and the `Link` header of the 200 (EDGE-6).
describe('OpenAPI of the lists', () => {
  let gateway: Harness;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  const lists: [string, string, string[]][] = [
    ['/v1/accounts', 'AccountPage', ['AccountViewDoc']],
    ['/v1/accounts/{accountId}/members', 'MemberPage', ['MemberViewDoc', 'InviteeViewDoc']],
    ['/v1/accounts/{accountId}/accesses', 'AccessPage', ['AccessViewDoc']],
    ['/v1/me/invitations', 'MyInvitationPage', ['MyInvitationDoc']],
    ['/v1/accounts/{accountId}/tokens', 'ApiTokenPage', ['TokenViewDoc']],
    ['/v1/me/notifications', 'NotificationPage', ['InboxNotificationDoc']],
    ['/v1/accounts/{accountId}/billing-accounts', 'BillingAccountPage', ['BillingAccountViewDoc']],
    ['/v1/accounts/{accountId}/roles', 'CustomRolePage', ['CustomRoleViewDoc']],
  ];

  it.each(lists)('%s documents limit, cursor, the %s schema and the Link header', async (path, page, itemTypes) => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    const get = doc.paths[path].get;
    const params = get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['limit', 'cursor']));
    const limit = get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
    const ok = get.responses['200'];
    expect(ok.headers.link.schema).toEqual({ type: 'string' });
    expect(ok.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${page}` });
    const schema = doc.components.schemas[page];
    expect(schema.required).toEqual(expect.arrayContaining(['items', 'next']));
    expect(schema.properties.next).toMatchObject({ type: ['string', 'null'] });
    const refs = JSON.stringify(schema.properties.items);
    for (const item of itemTypes) {
      expect(refs).toContain(`#/components/schemas/${item}`);
      expect(doc.components.schemas[item]).toBeDefined();
    }
  });

  it('documents the members’ filters and the inbox’s unread count', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    const members = doc.paths['/v1/accounts/{accountId}/members'].get.parameters.map((p: { name: string }) => p.name);
    expect(members).toEqual(expect.arrayContaining(['status', 'role', 'q']));
    expect(doc.components.schemas.NotificationPage.properties.unread).toMatchObject({ type: 'number' });
  });
});
