import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedConfig } from '@accord/service-kit';
import { listItems, sessionToken } from '@accord/testing';
import { startEmbedded, type EmbeddedPlatform } from './embedded';

// Issue 8 rule 12 over HTTP against the embedded platform: a retried command has one effect,
// also when the duplicates race and after a restart (the outcomes live in the PGlite database).
describe('Idempotency-Key end to end (embedded profile)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-idempotency-'));
  const config = embeddedConfig({ DATA_DIR: dataDir, PORT: '0' });
  let platform: EmbeddedPlatform;

  beforeAll(async () => {
    platform = await startEmbedded(config, { logger: false });
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(path: string, token: string, body: unknown, key: string) {
    const response = await fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      text: await response.text(),
      replayed: response.headers.get('idempotent-replayed'),
    };
  }

  async function accountsOf(token: string, minPosition = 0): Promise<{ id: string; name: string }[]> {
    const response = await fetch(`${platform.url}/v1/accounts?minPosition=${minPosition}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return listItems<{ id: string; name: string }>(await response.json());
  }

  const newUser = (email: string) => sessionToken(config.jwtSecret, { email, userId: `auth0|${randomUUID()}` });

  it('POST /v1/accounts twice with one key: one account, the same status and body', async () => {
    const token = await newUser('retry@example.com');
    const key = randomUUID();
    const first = await post('/v1/accounts', token, { name: 'Retry Ltd' }, key);
    const again = await post('/v1/accounts', token, { name: 'Retry Ltd' }, key);
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 201, text: first.text, replayed: 'true' });
    const accounts = await accountsOf(token, JSON.parse(first.text).position);
    expect(accounts.map((account) => account.id)).toEqual([JSON.parse(first.text).id]);
  });

  it('the same key with another body is 422 idempotency.key_reused and creates nothing', async () => {
    const token = await newUser('reuse@example.com');
    const key = randomUUID();
    const first = await post('/v1/accounts', token, { name: 'First Ltd' }, key);
    const reused = await post('/v1/accounts', token, { name: 'Second Ltd' }, key);
    expect(reused.status).toBe(422);
    expect(JSON.parse(reused.text)).toMatchObject({ status: 422, code: 'idempotency.key_reused' });
    expect((await accountsOf(token, JSON.parse(first.text).position)).map((account) => account.name)).toEqual([
      'First Ltd',
    ]);
  });

  it('10 concurrent duplicates create one account; the others are told 409 in_progress or replay it', async () => {
    const token = await newUser('race@example.com');
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => post('/v1/accounts', token, { name: 'Race Ltd' }, key)),
    );
    const created = replies.filter((reply) => reply.status === 201);
    const busy = replies.filter((reply) => reply.status === 409);
    expect(created.length + busy.length).toBe(10);
    expect(new Set(created.map((reply) => reply.text)).size).toBe(1);
    for (const reply of busy) expect(JSON.parse(reply.text).code).toBe('idempotency.in_progress');
    // A client that was told to retry gets the one account's answer.
    const retried = await post('/v1/accounts', token, { name: 'Race Ltd' }, key);
    expect(retried.status).toBe(201);
    const { id, position } = JSON.parse(retried.text);
    expect((await accountsOf(token, position)).map((account) => account.id)).toEqual([id]);
  });

  it('a response with a secret shown once is not kept: a retry of an API token issue is 409 secret_not_replayable', async () => {
    const token = await newUser('tokens@example.com');
    const account = JSON.parse((await post('/v1/accounts', token, { name: 'Tokens Ltd' }, randomUUID())).text);
    const key = randomUUID();
    const issued = await post(`/v1/accounts/${account.id}/tokens`, token, { name: 'CI' }, key);
    expect(issued.status).toBe(201);
    const secret = JSON.parse(issued.text).token as string;
    const again = await post(`/v1/accounts/${account.id}/tokens`, token, { name: 'CI' }, key);
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text).code).toBe('idempotency.secret_not_replayable');
    const { rows } = await platform.sql.query<{ body: string | null }>('SELECT body FROM idempotency_keys');
    expect(rows.some((row) => row.body?.includes(secret))).toBe(false);
  });

  it('after a restart on the same data dir the replay still answers the first body', async () => {
    const token = await newUser('restart@example.com');
    const key = randomUUID();
    const first = await post('/v1/accounts', token, { name: 'Durable Ltd' }, key);
    expect(first.status).toBe(201);
    await platform.close();
    platform = await startEmbedded(config, { logger: false });
    const again = await post('/v1/accounts', token, { name: 'Durable Ltd' }, key);
    expect(again).toEqual({ status: 201, text: first.text, replayed: 'true' });
    const { id, position } = JSON.parse(first.text);
    expect((await accountsOf(token, position)).map((account) => account.id)).toEqual([id]);
  });
});
