import { randomUUID } from 'node:crypto';
import { runSliceScenario } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

type Call = (typeof e2e)['call'];
type Item = Record<string, unknown>;

// One resource each over HTTP (embedded profile): the list's item, 404 for what is not there or not
// the caller's (EDGE-2, EDGE-5), and `?minPosition=` reads the caller's own write.
const e2e = useEmbeddedPlatform('single-resources');

/** A list route's items, whether it answers with an array or with a page of them. */
function itemsOf(body: unknown): Item[] {
  if (Array.isArray(body)) return body as Item[];
  const page = body as { items?: Item[]; data?: Item[] };
  return page.items ?? page.data ?? [];
}

/** The item of a list route whose `key` is `value` (what GET one must answer with). */
async function listed(call: Call, path: string, token: string, key: string, value: unknown): Promise<Item> {
  const list = await call('GET', path, { token });
  expect(list.status).toBe(200);
  const item = itemsOf(list.body).find((i) => i[key] === value);
  expect(item).toBeDefined();
  return item!;
}

describe('GET one resource over HTTP', () => {
  const scenario = () => runSliceScenario(e2e.platform.url, e2e.config.jwtSecret);

  it('an account: as the account list shows it; a stranger’s or unknown account is 404', async () => {
    const first = await scenario();
    const second = await scenario();
    const named = await e2e.call('PUT', `/v1/accounts/${first.accountId}/display-name`, {
      token: first.mikeToken,
      body: { displayName: 'Client A' },
    });
    expect(named.status).toBe(200);
    const one = await e2e.call('GET', `/v1/accounts/${first.accountId}?minPosition=${named.body.position}`, {
      token: first.mikeToken,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: first.accountId, role: 'administrator', displayName: 'Client A' });
    expect(one.body).toEqual(await listed(e2e.call, '/v1/accounts', first.mikeToken, 'id', first.accountId));

    const stranger = await e2e.call('GET', `/v1/accounts/${first.accountId}`, { token: second.mikeToken });
    const unknown = await e2e.call('GET', `/v1/accounts/${randomUUID()}`, { token: first.mikeToken });
    const notUuid = await e2e.call('GET', '/v1/accounts/not-an-id', { token: first.mikeToken });
    for (const r of [stranger, unknown, notUuid]) expect([r.status, r.body.code]).toEqual([404, 'account.not_found']);
    expect(
      (await e2e.call('GET', `/v1/accounts/${first.accountId}?minPosition=x`, { token: first.mikeToken })).status,
    ).toBe(400);
  });

  it('a member: as the member list shows them; another account’s member and an unknown user are 404', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/members`;
    const changed = await e2e.call('PATCH', `${path}/${first.mike.userId}`, {
      token: first.oliviaToken,
      body: { displayName: 'Mike (ops)' },
    });
    expect(changed.status).toBe(200);
    const one = await e2e.call('GET', `${path}/${first.mike.userId}?minPosition=${changed.body.position}`, {
      token: first.mikeToken,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ userId: first.mike.userId, role: 'administrator', displayName: 'Mike (ops)' });
    expect(one.body).toEqual(await listed(e2e.call, path, first.oliviaToken, 'userId', first.mike.userId));

    const otherAccountsMember = await e2e.call('GET', `${path}/${second.mike.userId}`, { token: first.oliviaToken });
    const unknown = await e2e.call('GET', `${path}/${randomUUID()}`, { token: first.oliviaToken });
    for (const r of [otherAccountsMember, unknown]) expect([r.status, r.body.code]).toEqual([404, 'member.not_found']);
    const stranger = await e2e.call('GET', `${path}/${first.mike.userId}`, { token: second.oliviaToken });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'account.not_found']);
  });

  it('an access: as the access list shows it, the name to its sharer only; another account’s access is 404', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/accesses`;
    const shared = await e2e.call('POST', path, {
      token: first.oliviaToken,
      body: {
        name: 'Accounting',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: [`ann-${randomUUID().slice(0, 8)}@example.com`],
      },
    });
    expect(shared.status).toBe(201);
    const one = await e2e.call('GET', `${path}/${shared.body.id}?minPosition=${shared.body.position}`, {
      token: first.oliviaToken,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: shared.body.id, name: 'Accounting', role: 'accountant' });
    expect(one.body).toEqual(await listed(e2e.call, path, first.oliviaToken, 'id', shared.body.id));

    // Another owner sees what the list shows them: the access, without its name.
    const promoted = await e2e.call('PATCH', `/v1/accounts/${first.accountId}/members/${first.mike.userId}`, {
      token: first.oliviaToken,
      body: { role: 'owner' },
    });
    expect(promoted.status).toBe(200);
    const seenByOtherOwner = await e2e.call('GET', `${path}/${shared.body.id}?minPosition=${promoted.body.position}`, {
      token: first.mikeToken,
    });
    expect(seenByOtherOwner.status).toBe(200);
    expect(seenByOtherOwner.body.name).toBeNull();
    expect(seenByOtherOwner.body).toEqual(await listed(e2e.call, path, first.mikeToken, 'id', shared.body.id));

    const otherAccountsAccess = await e2e.call('GET', `${path}/${second.accessId}`, { token: first.oliviaToken });
    const unknown = await e2e.call('GET', `${path}/${randomUUID()}`, { token: first.oliviaToken });
    for (const r of [otherAccountsAccess, unknown]) expect([r.status, r.body.code]).toEqual([404, 'access.not_found']);
    const stranger = await e2e.call('GET', `${path}/${shared.body.id}`, { token: second.oliviaToken });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'account.not_found']);
  });

  it('an API token: as the token list shows it, to whom it shows it; never the secret', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/tokens`;
    const mikes = await e2e.call('POST', path, { token: first.mikeToken, body: { name: 'CI' } });
    const olivias = await e2e.call('POST', path, { token: first.oliviaToken, body: { name: 'Backups' } });
    const elsewhere = await e2e.call('POST', `/v1/accounts/${second.accountId}/tokens`, {
      token: second.oliviaToken,
      body: { name: 'Other' },
    });
    expect([mikes.status, olivias.status, elsewhere.status]).toEqual([201, 201, 201]);

    const own = await e2e.call('GET', `${path}/${mikes.body.id}?minPosition=${mikes.body.position}`, {
      token: first.mikeToken,
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: mikes.body.id, name: 'CI', userId: first.mike.userId, revoked: false });
    expect(JSON.stringify(own.body)).not.toContain(mikes.body.token);
    expect(own.body).toEqual(await listed(e2e.call, path, first.mikeToken, 'id', mikes.body.id));
    // An owner sees every token of the account.
    const byOwner = await e2e.call('GET', `${path}/${mikes.body.id}`, { token: first.oliviaToken });
    expect([byOwner.status, byOwner.body.id]).toEqual([200, mikes.body.id]);

    // A non-owner's list leaves out others' tokens: so does this route.
    const othersToken = await e2e.call('GET', `${path}/${olivias.body.id}?minPosition=${olivias.body.position}`, {
      token: first.mikeToken,
    });
    const otherAccountsToken = await e2e.call('GET', `${path}/${elsewhere.body.id}`, { token: first.oliviaToken });
    const unknown = await e2e.call('GET', `${path}/${randomUUID()}`, { token: first.oliviaToken });
    for (const r of [othersToken, otherAccountsToken, unknown])
      expect([r.status, r.body.code]).toEqual([404, 'token.not_found']);
    const stranger = await e2e.call('GET', `${path}/${mikes.body.id}`, { token: second.oliviaToken });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'account.not_found']);
  });

  it('a billing account: to whom the list shows it; another account’s or one outside a restricted scope is 404', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/billing-accounts`;
    const a = await e2e.call('POST', path, { token: first.oliviaToken, body: { name: 'A' } });
    const b = await e2e.call('POST', path, { token: first.oliviaToken, body: { name: 'B' } });
    const elsewhere = await e2e.call('POST', `/v1/accounts/${second.accountId}/billing-accounts`, {
      token: second.oliviaToken,
      body: { name: 'Other' },
    });
    expect([a.status, b.status, elsewhere.status]).toEqual([201, 201, 201]);
    const one = await e2e.call('GET', `${path}/${b.body.id}?minPosition=${b.body.position}`, {
      token: first.oliviaToken,
    });
    expect([one.status, one.body]).toEqual([200, { id: b.body.id, name: 'B' }]);
    expect(one.body).toEqual(await listed(e2e.call, path, first.oliviaToken, 'id', b.body.id));

    const restricted = await e2e.call('PATCH', `/v1/accounts/${first.accountId}/members/${first.mike.userId}`, {
      token: first.oliviaToken,
      body: { scope: { type: 'restricted', billingAccountId: a.body.id } },
    });
    expect(restricted.status).toBe(200);
    const p = restricted.body.position;
    const inScope = await e2e.call('GET', `${path}/${a.body.id}?minPosition=${p}`, { token: first.mikeToken });
    expect([inScope.status, inScope.body]).toEqual([200, { id: a.body.id, name: 'A' }]);
    const outOfScope = await e2e.call('GET', `${path}/${b.body.id}?minPosition=${p}`, { token: first.mikeToken });
    const otherAccounts = await e2e.call('GET', `${path}/${elsewhere.body.id}`, { token: first.oliviaToken });
    const unknown = await e2e.call('GET', `${path}/${randomUUID()}`, { token: first.oliviaToken });
    for (const r of [outOfScope, otherAccounts, unknown])
      expect([r.status, r.body.code]).toEqual([404, 'billing_account.not_found']);
  });

  it('a custom role: as the role list shows it; another account’s role, a built-in one and an unknown one are 404', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/roles`;
    const defined = await e2e.call('POST', path, {
      token: first.oliviaToken,
      body: { name: 'dns-admin', permissions: ['vps:read'] },
    });
    const elsewhere = await e2e.call('POST', `/v1/accounts/${second.accountId}/roles`, {
      token: second.oliviaToken,
      body: { name: 'elsewhere', permissions: ['vps:read'] },
    });
    expect([defined.status, elsewhere.status]).toEqual([201, 201]);
    const one = await e2e.call('GET', `${path}/dns-admin?minPosition=${defined.body.position}`, {
      token: first.mikeToken,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: 'dns-admin', permissions: expect.arrayContaining(['vps:read']) });
    expect(one.body).toEqual(await listed(e2e.call, path, first.oliviaToken, 'name', 'dns-admin'));

    const otherAccounts = await e2e.call('GET', `${path}/elsewhere?minPosition=${elsewhere.body.position}`, {
      token: first.oliviaToken,
    });
    const builtIn = await e2e.call('GET', `${path}/owner`, { token: first.oliviaToken });
    const unknown = await e2e.call('GET', `${path}/nope`, { token: first.oliviaToken });
    const malformed = await e2e.call('GET', `${path}/Not_A_Role`, { token: first.oliviaToken });
    for (const r of [otherAccounts, builtIn, unknown, malformed])
      expect([r.status, r.body.code]).toEqual([404, 'role.not_found']);
  });

  it('the invitation settings: the default, then what an owner set; owners only, as PUT', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/invitation-settings`;
    const initial = await e2e.call('GET', path, { token: first.oliviaToken });
    expect([initial.status, initial.body]).toEqual([200, { accountId: first.accountId, expiryHours: 72 }]);
    const set = await e2e.call('PUT', path, { token: first.oliviaToken, body: { expiryHours: 24 } });
    expect(set.status).toBe(200);
    const after = await e2e.call('GET', `${path}?minPosition=${set.body.position}`, { token: first.oliviaToken });
    expect([after.status, after.body]).toEqual([200, { accountId: first.accountId, expiryHours: 24 }]);
    const nonOwner = await e2e.call('GET', path, { token: first.mikeToken });
    expect([nonOwner.status, nonOwner.body.code]).toEqual([403, 'authz.denied']);
    const stranger = await e2e.call('GET', path, { token: second.oliviaToken });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'account.not_found']);
  });

  it('the token policy: none by default, then what an owner set; owners only, as PUT', async () => {
    const first = await scenario();
    const second = await scenario();
    const path = `/v1/accounts/${first.accountId}/token-policy`;
    const initial = await e2e.call('GET', path, { token: first.oliviaToken });
    expect([initial.status, initial.body]).toEqual([200, { accountId: first.accountId, maxLifetimeDays: null }]);
    const set = await e2e.call('PUT', path, { token: first.oliviaToken, body: { maxLifetimeDays: 30 } });
    expect(set.status).toBe(200);
    const after = await e2e.call('GET', `${path}?minPosition=${set.body.position}`, { token: first.oliviaToken });
    expect([after.status, after.body]).toEqual([200, { accountId: first.accountId, maxLifetimeDays: 30 }]);
    const nonOwner = await e2e.call('GET', path, { token: first.mikeToken });
    expect([nonOwner.status, nonOwner.body.code]).toEqual([403, 'authz.denied']);
    const stranger = await e2e.call('GET', path, { token: second.oliviaToken });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'account.not_found']);
  });
});
