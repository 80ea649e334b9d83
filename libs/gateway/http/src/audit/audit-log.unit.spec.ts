import { randomUUID, type KeyObject } from 'node:crypto';
import { generateSigningKey, loadPublicKey, loadSigningKey, verifyAuditExport } from '@accord/audit';
import { fail, ok, subjects, type AuditLogEntry, type EventEnvelope } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';
import { encodeAuditCursor } from './audit-log-cursor';

const OWNER = { allowed: true, reason: 'owner holds every permission', role: 'owner' };

function entry(n: number): AuditLogEntry {
  return {
    id: randomUUID(),
    type: 'RoleChanged',
    occurredAt: `2030-01-0${n}T10:00:00.000Z`,
    actor: { userId: 'olivia', via: 'session' },
    sentence: "olivia@example.com changed mike@example.com's role from accountant to administrator",
    data: { accountId: 'a', userId: 'mike', from: 'accountant', to: 'administrator' },
  };
}

describe('the audit log over HTTP', () => {
  let gateway: Harness;
  const olivia = person();
  const accountId = randomUUID();
  const get = async (query = '', who = olivia, claims?: Record<string, unknown>) =>
    gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId}/audit-log${query}`,
      headers: bearer(await tokenFor(who, claims ? { claims } : {})),
    });
  const asked = () => gateway.client.sentTo(subjects.membership.auditLog).map((r) => r.payload);

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('an owner reads a page, newest first as the service gave it, with an opaque cursor to the next one', async () => {
    const entries = [entry(2), entry(1)];
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.auditLog, ok({ entries, nextBefore: 41 }));
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ entries, next: encodeAuditCursor(41) });
    expect(res.json().next).not.toContain('41');
    expect(gateway.client.sentTo(subjects.authz.check)[0]?.payload).toEqual({
      userId: olivia.userId,
      accountId,
      permission: 'users:manage',
      confirmDenial: true,
    });
    expect(asked()).toEqual([{ accountId, limit: 50 }]);
  });

  it('the cursor continues below the last entry; the last page has no next', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.auditLog, ok({ entries: [entry(1)], nextBefore: null }));
    const res = await get(`?after=${encodeAuditCursor(41)}&limit=1`);
    expect(res.json().next).toBeNull();
    expect(asked()).toEqual([{ accountId, before: 41, limit: 1 }]);
  });

  it('passes the filters on, normalised', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.auditLog, ok({ entries: [], nextBefore: null }));
    const res = await get(
      '?type=RoleChanged,MemberJoined&type=RoleChanged&actorId=user-7&from=2030-01-01&to=2030-02-01T01:00:00%2B01:00&limit=200',
    );
    expect(res.statusCode).toBe(200);
    expect(asked()).toEqual([
      {
        accountId,
        limit: 200,
        types: ['RoleChanged', 'MemberJoined'],
        actorId: 'user-7',
        from: '2030-01-01T00:00:00.000Z',
        to: '2030-02-01T00:00:00.000Z',
      },
    ]);
  });

  it('a non-member gets the 404 of an unknown account; a member who is no owner gets 403', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member of this account' }));
    const stranger = await get();
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('account.not_found');
    gateway.client.on(
      subjects.authz.check,
      ok({ allowed: false, reason: 'users is available to account owners only', role: 'administrator' }),
    );
    const admin = await get();
    expect(admin.statusCode).toBe(403);
    expect(admin.json()).toMatchObject({ code: 'authz.denied' });
    expect(asked()).toEqual([]);
  });

  it('a platform admin impersonating the owner is refused before anything is asked', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.auditLog, ok({ entries: [], nextBefore: null }));
    const res = await get('', olivia, { act: { sub: 'admin-1', platform_admin: true } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('impersonation.forbidden');
    expect(gateway.client.sent).toEqual([]);
  });

  it.each([
    ['limit', '?limit=0'],
    ['limit', '?limit=201'],
    ['limit', '?limit=abc'],
    ['limit', '?limit=1.5'],
    ['limit', '?limit=1&limit=2'],
    ['after', '?after=not-a-cursor'],
    ['after', `?after=${Buffer.from('before:-1').toString('base64url')}`],
    ['after', `?after=${encodeAuditCursor(41)}=`],
    ['from', '?from=yesterday'],
    ['from', '?from=2030-02-30'],
    ['to', '?to=2030-01-01T25:00:00Z'],
    ['to', '?from=2030-01-02&to=2030-01-01'],
    ['type', '?type=NoSuchEvent'],
    ['type', '?type=constructor'],
    ['type', '?type=RoleChanged,'],
    ['actorId', '?actorId=a%2Fb'],
  ])('a bad %s is a 400 naming it (%s), and nothing is asked', async (field, query) => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    const res = await get(query);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().field).toBe(field);
    expect(asked()).toEqual([]);
  });

  it('limit 1 and limit 200 are in bounds', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(subjects.membership.auditLog, ok({ entries: [], nextBefore: null }));
    expect((await get('?limit=1')).statusCode).toBe(200);
    expect((await get('?limit=200')).statusCode).toBe(200);
  });
});

describe('the audit export over HTTP', () => {
  const olivia = person();
  const accountId = randomUUID();
  let gateway: Harness;
  let publicKey: KeyObject;

  /** `count` events of the account at positions 10, 20, …, served `pageSize` at a time like the service. */
  function serveEvents(count: number, pageSize: number): void {
    const events: EventEnvelope[] = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      type: 'MemberDisplayNameChanged',
      schemaVersion: 1,
      streamId: `account-${accountId}`,
      streamPosition: i,
      globalPosition: (i + 1) * 10,
      occurredAt: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(),
      accountId,
      actor: { userId: olivia.userId, via: 'session' },
      correlationId: randomUUID(),
      causationId: null,
      data: { accountId, userId: 'mike', displayName: `Mike ${i}` },
    }));
    gateway.client.on(subjects.membership.auditEvents, (request) => {
      const { after } = (request as { payload: { after: number } }).payload;
      return ok({ events: events.filter((e) => e.globalPosition > after).slice(0, pageSize) });
    });
  }
  const download = async (query = '') =>
    gateway.request({
      method: 'GET',
      url: `/v1/accounts/${accountId}/audit-log/export${query}`,
      headers: bearer(await tokenFor(olivia)),
    });

  beforeAll(async () => {
    const key = generateSigningKey();
    publicKey = loadPublicKey(key.publicKeyPem);
    gateway = await startGateway({ auditSigningKey: loadSigningKey(key.privateKeyPem) });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  it('an owner downloads every event page by page as signed JSON Lines that verify', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    serveEvents(7, 3);
    const res = await download('?from=2030-01-01T00:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${accountId}.jsonl"`);
    const lines = res.body.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines[7] ?? '{}')).toMatchObject({ type: 'AuditExportHead', accountId });
    const verdict = await verifyAuditExport(toLines(res.body), { publicKey });
    expect(verdict).toEqual({ ok: true, count: 7, accountId });
    expect(gateway.client.sentTo(subjects.membership.auditEvents).map((r) => r.payload)).toEqual(
      [0, 30, 60, 70].map((after) => ({ accountId, after, limit: 200, from: '2030-01-01T00:00:00.000Z' })),
    );
  });

  it('an account without events exports just its signed head', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    serveEvents(0, 3);
    const res = await download();
    expect(await verifyAuditExport(toLines(res.body), { publicKey })).toEqual({
      ok: true,
      count: 0,
      accountId,
    });
  });

  it('a service that cannot answer is a problem, not a 200 cut short', async () => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    gateway.client.on(
      subjects.membership.auditEvents,
      fail({ kind: 'unavailable', code: 'service.error', message: 'The service could not complete the request.' }),
    );
    const res = await download();
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('non-members get 404 and nothing is read', async () => {
    gateway.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member of this account' }));
    serveEvents(2, 3);
    expect((await download()).statusCode).toBe(404);
    expect(gateway.client.sentTo(subjects.membership.auditEvents)).toEqual([]);
  });

  it.each([
    ['from', '?from=soon'],
    ['to', '?from=2030-01-02&to=2030-01-02'],
    ['limit', '?limit=10'],
    ['after', `?after=${encodeAuditCursor(3)}`],
  ])('a bad or foreign %s is a 400 naming it (%s)', async (field, query) => {
    gateway.client.on(subjects.authz.check, ok(OWNER));
    const res = await download(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('without a signing key the owner gets a 503 saying so, after authorization', async () => {
    const keyless = await startGateway();
    try {
      keyless.client.on(subjects.authz.check, ok(OWNER));
      const res = await keyless.request({
        method: 'GET',
        url: `/v1/accounts/${accountId}/audit-log/export`,
        headers: bearer(await tokenFor(olivia)),
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('3600');
      expect(res.json()).toMatchObject({
        code: 'audit.export_not_configured',
        detail: expect.stringContaining('audit export signing key not configured'),
      });
      keyless.client.on(subjects.authz.check, ok({ allowed: false, reason: 'not a member of this account' }));
      const stranger = await keyless.request({
        method: 'GET',
        url: `/v1/accounts/${accountId}/audit-log/export`,
        headers: bearer(await tokenFor(person())),
      });
      expect(stranger.statusCode).toBe(404);
    } finally {
      await keyless.close();
    }
  });

  it('OpenAPI documents both routes, their parameters and the export media type', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    const page = doc.paths['/v1/accounts/{accountId}/audit-log'].get;
    expect(page.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['accountId', 'after', 'limit', 'type', 'actorId', 'from', 'to']),
    );
    expect(page.responses['200'].content['application/json'].schema.$ref).toMatch(/AuditLogPageDoc$/);
    expect(doc.components.schemas.AuditLogEntryDoc.required).toEqual(
      expect.arrayContaining(['id', 'type', 'occurredAt', 'actor', 'sentence', 'data']),
    );
    const exported = doc.paths['/v1/accounts/{accountId}/audit-log/export'].get;
    expect(Object.keys(exported.responses['200'].content)).toEqual(['application/x-ndjson']);
    expect(exported.responses.default.content['application/problem+json']).toBeDefined();
  });
});

async function* toLines(body: string): AsyncGenerator<string> {
  for (const line of body.split('\n')) if (line !== '') yield line;
}
