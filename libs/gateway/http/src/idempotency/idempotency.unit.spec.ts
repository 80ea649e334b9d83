import { randomUUID } from 'node:crypto';
import { fail, ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';
import { canonicalJson, carriesSecret, idempotencyKeyOf } from './idempotency-key';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, InMemoryIdempotencyStore } from './idempotency-store';

describe('Idempotency-Key over HTTP (rule 12)', () => {
  let gateway: Harness;
  const olivia = person({ email: 'olivia@example.com' });
  const mike = person({ email: 'mike@example.com' });
  let oliviaToken: string;
  let mikeToken: string;

  beforeAll(async () => {
    gateway = await startGateway();
    oliviaToken = await tokenFor(olivia);
    mikeToken = await tokenFor(mike);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  const createAccount = (token: string, key: string | undefined, body: unknown = { name: 'Acme' }) =>
    gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body as object,
    });

  function answerCreates(): void {
    gateway.client.on(subjects.membership.createAccount, (request) => {
      const payload = (request as { payload: { name: string } }).payload;
      return ok({ id: randomUUID(), name: payload.name, position: gateway.client.sent.length });
    });
  }

  it('replays the first status and body for the same key and body, with no second command', async () => {
    answerCreates();
    const key = randomUUID();
    const first = await createAccount(oliviaToken, key);
    const again = await createAccount(oliviaToken, key, { name: 'Acme' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same body', async () => {
    answerCreates();
    const key = randomUUID();
    await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(oliviaToken), 'idempotency-key': key, 'content-type': 'application/json' },
      payload: '{"name":"Acme"}',
    });
    const again = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(oliviaToken), 'idempotency-key': key, 'content-type': 'application/json' },
      payload: '{ "name" : "Acme" }',
    });
    expect(again.statusCode).toBe(201);
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it('refuses the same key with another body: 422 idempotency.key_reused, nothing sent', async () => {
    answerCreates();
    const key = randomUUID();
    await createAccount(oliviaToken, key, { name: 'Acme' });
    const reused = await createAccount(oliviaToken, key, { name: 'Other' });
    expect(reused.statusCode).toBe(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reused.json()).toMatchObject({ status: 422, code: 'idempotency.key_reused' });
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it('keeps keys of different callers apart', async () => {
    answerCreates();
    const key = randomUUID();
    const ofOlivia = await createAccount(oliviaToken, key, { name: 'Acme' });
    const ofMike = await createAccount(mikeToken, key, { name: 'Other' });
    expect(ofOlivia.statusCode).toBe(201);
    expect(ofMike.statusCode).toBe(201);
    expect(ofMike.json().name).toBe('Other');
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(2);
  });

  it('tells a duplicate that arrives while the first still runs 409 idempotency.in_progress (Retry-After), one command', async () => {
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    gateway.client.on(subjects.membership.createAccount, async () => {
      await running;
      return ok({ id: randomUUID(), name: 'Acme', position: 1 });
    });
    const key = randomUUID();
    const first = createAccount(oliviaToken, key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const duplicate = await createAccount(oliviaToken, key);
    release();
    expect((await first).statusCode).toBe(201);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('idempotency.in_progress');
    expect(duplicate.headers['retry-after']).toBe('1');
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it('records a 4xx answer, but frees the key after a 5xx/503 so a retry runs again', async () => {
    const key = randomUUID();
    gateway.client.on(
      subjects.membership.createAccount,
      fail({ kind: 'unavailable', code: 'test.down', message: 'down' }),
    );
    expect((await createAccount(oliviaToken, key)).statusCode).toBe(503);
    answerCreates();
    expect((await createAccount(oliviaToken, key)).statusCode).toBe(201);
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(2);

    const refusedKey = randomUUID();
    gateway.client.on(
      subjects.membership.createAccount,
      fail({ kind: 'conflict', code: 'test.refused', message: 'refused' }),
    );
    const refused = await createAccount(oliviaToken, refusedKey);
    answerCreates();
    const replayed = await createAccount(oliviaToken, refusedKey);
    expect(refused.statusCode).toBe(409);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.body).toBe(refused.body);
  });

  it('never keeps a response that carried a secret: a retry is 409 idempotency.secret_not_replayable', async () => {
    answerCreates();
    const key = randomUUID();
    const secretLooking = `acc_${'A1b2C3d4'.repeat(4)}`;
    const first = await createAccount(oliviaToken, key, { name: secretLooking });
    expect(first.statusCode).toBe(201);
    const again = await createAccount(oliviaToken, key, { name: secretLooking });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('idempotency.secret_not_replayable');
    expect(again.body).not.toContain(secretLooking);
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a control character', 'abc\u0001def'],
    ['non-ASCII', 'clé'],
    ['a broken quoted string', '"abc'],
  ])('refuses a key that is %s: 400 naming the header, nothing sent', async (_case, key) => {
    answerCreates();
    const res = await gateway
      .request({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...bearer(oliviaToken), 'idempotency-key': Buffer.from(key, 'latin1').toString('latin1') },
        payload: { name: 'Acme' },
      })
      .catch(() => undefined);
    // Node refuses to even send some values (control characters): that is the client's 400.
    if (res === undefined) return;
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'idempotency.invalid_key', field: 'Idempotency-Key' });
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(0);
  });

  it('accepts a 255-character key, and the quoted Structured Field form as the same key', async () => {
    answerCreates();
    const key = 'k'.repeat(255);
    expect((await createAccount(oliviaToken, key)).statusCode).toBe(201);
    const quoted = await createAccount(oliviaToken, `"${key}"`);
    expect(quoted.headers['idempotent-replayed']).toBe('true');
    expect(gateway.client.sentTo(subjects.membership.createAccount)).toHaveLength(1);
  });

  it('ignores the key on a GET', async () => {
    gateway.client.on(subjects.membership.accountsOfUser, ok({ items: [], nextAfter: null }));
    const res = await gateway.request({
      method: 'GET',
      url: '/v1/accounts',
      headers: { ...bearer(oliviaToken), 'idempotency-key': 'x'.repeat(300) },
    });
    expect(res.statusCode).toBe(200);
  });

  it('documents the header on every command of the OpenAPI document', async () => {
    const doc = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
    const commands = Object.values(
      doc.paths as Record<
        string,
        Record<string, { parameters?: { name: string; in: string; schema?: { maxLength?: number } }[] }>
      >,
    ).flatMap((item) => ['post', 'put', 'patch', 'delete'].flatMap((method) => (item[method] ? [item[method]] : [])));
    expect(commands.length).toBeGreaterThan(10);
    for (const operation of commands) {
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({
          name: 'Idempotency-Key',
          in: 'header',
          schema: expect.objectContaining({ maxLength: 255 }),
        }),
      );
    }
  });
});

describe('Idempotency-Key parts', () => {
  it('fingerprints bodies by their canonical JSON', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('finds secrets shown once by name or by look, at any depth', () => {
    expect(carriesSecret(JSON.stringify({ id: 'x', token: 'anything', prefix: 'acc_1' }))).toBe(true);
    expect(carriesSecret(JSON.stringify({ invitationId: 'x', apiToken: { id: 'y', token: 's3cr3t' } }))).toBe(true);
    expect(carriesSecret(JSON.stringify({ name: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }))).toBe(true);
    expect(carriesSecret(JSON.stringify({ id: 'x', name: 'Acme', position: 3 }))).toBe(false);
    expect(
      carriesSecret(JSON.stringify({ type: 'urn:accord:problem:validation', code: 'token.invalid', detail: 'bad' })),
    ).toBe(false);
  });

  it('reads the header: absent, bare, quoted; twice is refused', () => {
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(idempotencyKeyOf({ 'idempotency-key': 'abc' })).toBe('abc');
    expect(idempotencyKeyOf({ 'idempotency-key': '"a\\"b"' })).toBe('a"b');
    expect(() =>
      idempotencyKeyOf({ 'idempotency-key': 'a, b' }, ['Idempotency-Key', 'a', 'idempotency-key', 'b']),
    ).toThrow();
  });

  it('in memory: claims once, expires after 24 h, lets a stale attempt of the same body be retried', async () => {
    let now = 0;
    const store = new InMemoryIdempotencyStore(() => now);
    const first = await store.claim('s', 'f');
    expect(first.kind).toBe('claimed');
    expect((await store.claim('s', 'f')).kind).toBe('in_progress');
    now += IDEMPOTENCY_LEASE_MS;
    expect((await store.claim('s', 'other')).kind).toBe('in_progress');
    const retried = await store.claim('s', 'f');
    expect(retried.kind).toBe('claimed');
    if (retried.kind !== 'claimed' || first.kind !== 'claimed') return;
    await store.complete('s', first.lease, { status: 201, contentType: null, body: 'stale', bodySha256: '' });
    await store.complete('s', retried.lease, {
      status: 201,
      contentType: 'application/json',
      body: '{}',
      bodySha256: '',
    });
    expect(await store.claim('s', 'f')).toMatchObject({ kind: 'completed', response: { body: '{}' } });
    now += IDEMPOTENCY_TTL_MS;
    expect((await store.claim('s', 'f')).kind).toBe('claimed');
  });
});
