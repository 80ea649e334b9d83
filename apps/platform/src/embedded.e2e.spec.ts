import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedConfig } from '@accord/service-kit';
import { httpClient, listItems, runSliceScenario, sessionToken } from '@accord/testing';
import { startEmbedded, type EmbeddedPlatform } from './embedded';

// The embedded profile end to end over real HTTP: PGlite on disk, in-process bus, one process.
describe('embedded profile (npm start) over HTTP', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-e2e-'));
  const config = embeddedConfig({ DATA_DIR: dataDir, PORT: '0' });
  let platform: EmbeddedPlatform;

  beforeAll(async () => {
    platform = await startEmbedded(config, { logger: false });
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy once started', async () => {
    const health = await httpClient(platform.url)('GET', '/health');
    expect(health.status).toBe(200);
  });

  it('share → accept → member, read your writes with minPosition', async () => {
    await runSliceScenario(platform.url, config.jwtSecret);
  });

  it('nobody but the addressee can accept; a second accept by them changes nothing', async () => {
    const { call, invitationId, mikeToken, accountId, oliviaToken } = await runSliceScenario(
      platform.url,
      config.jwtSecret,
    );
    const eve = await sessionToken(config.jwtSecret, { email: 'eve@example.com' });
    const stolen = await call('POST', `/v1/invitations/${invitationId}/accept`, { token: eve });
    expect(stolen.status).toBe(404);
    const again = await call('POST', `/v1/invitations/${invitationId}/accept`, { token: mikeToken });
    expect(again.status).toBe(200);
    const members = await call('GET', `/v1/accounts/${accountId}/members?minPosition=${again.body.position}`, {
      token: oliviaToken,
    });
    expect(listItems(members.body)).toHaveLength(2);
  });

  it('a stranger cannot see or share on an account that is not theirs (404, not 403)', async () => {
    const { call, accountId } = await runSliceScenario(platform.url, config.jwtSecret);
    const eve = await sessionToken(config.jwtSecret, { email: 'eve@example.com' });
    expect((await call('GET', `/v1/accounts/${accountId}/members`, { token: eve })).status).toBe(404);
    const share = await call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: eve,
      body: { name: 'x', type: 'delegate', scope: { type: 'global' }, role: 'owner', recipients: ['eve2@example.com'] },
    });
    expect(share.status).toBe(404);
  });

  it('a member who is not an owner cannot share access (403)', async () => {
    const { call, accountId, mikeToken } = await runSliceScenario(platform.url, config.jwtSecret);
    const share = await call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: mikeToken,
      body: {
        name: 'x',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'owner',
        recipients: ['friend@example.com'],
      },
    });
    expect(share.status).toBe(403);
  });

  it('bad input gets a problem+json 400 naming the field and changes nothing', async () => {
    const call = httpClient(platform.url);
    const token = await sessionToken(config.jwtSecret, { email: 'olga@example.com' });
    const account = await call('POST', '/v1/accounts', { token, body: { name: 'Olga Ltd' } });
    const bad = await call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token,
      body: {
        name: 'x',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: ['not-an-email'],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('recipients');
    const accesses = await call(
      'GET',
      `/v1/accounts/${account.body.id}/accesses?minPosition=${account.body.position}`,
      { token },
    );
    expect(listItems(accesses.body)).toEqual([]);
    const malformed = await call('POST', '/v1/accounts', { token, rawBody: '{"name": ' });
    expect(malformed.status).toBe(400);
  });

  it('keeps its data across a restart (DATA_DIR)', async () => {
    const { accountId, oliviaToken } = await runSliceScenario(platform.url, config.jwtSecret);
    await platform.close();
    platform = await startEmbedded(config, { logger: false });
    const members = await httpClient(platform.url)('GET', `/v1/accounts/${accountId}/members`, { token: oliviaToken });
    expect(members.status).toBe(200);
    expect(listItems(members.body)).toHaveLength(2);
  });

  it('the dev token endpoint issues a working token for an e-mail', async () => {
    const call = httpClient(platform.url);
    const issued = await call('POST', '/v1/dev/tokens', { body: { email: 'newcomer@example.com' } });
    expect(issued.status).toBe(201);
    const accounts = await call('GET', '/v1/accounts', { token: issued.body.token });
    expect(accounts.status).toBe(200);
  });
});
