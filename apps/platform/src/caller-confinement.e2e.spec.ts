import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { embeddedConfig } from '@accord/service-kit';
import { listItems, runSliceScenario, sessionToken } from '@accord/testing';
import { startEmbedded } from './embedded';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 8, rules 1 (at the edge), 4, 5, 8 and 14, over HTTP on the embedded profile: each caller
// reaches exactly what it is trusted with, and a refused request changes nothing.
describe('callers stay inside their grant', () => {
  const e2e = useEmbeddedPlatform('confinement');
  const { config } = e2e;
  const secret = () => new TextEncoder().encode(config.jwtSecret);

  /** An owner with an account A (Mike is an administrator in it) and a second account B of Olivia's. */
  async function twoAccounts() {
    const scenario = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const b = await e2e.call('POST', '/v1/accounts', { token: scenario.oliviaToken, body: { name: 'Other' } });
    expect(b.status).toBe(201);
    const token = await e2e.call('POST', `/v1/accounts/${scenario.accountId}/tokens`, {
      token: scenario.oliviaToken,
      body: { name: 'scripts' },
    });
    expect(token.status).toBe(201);
    return {
      ...scenario,
      accountB: b.body.id as string,
      apiToken: token.body.token as string,
      tokenId: token.body.id as string,
    };
  }

  /** Requests that carry their own correlation id, so what they caused can be found in the store. */
  function tracked() {
    const requestIds: string[] = [];
    const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
      const requestId = randomUUID();
      requestIds.push(requestId);
      return e2e.call(method, path, { ...options, headers: { 'x-request-id': requestId } });
    };
    return { call, requestIds };
  }

  /** Every stored event caused by one of these requests (reactions carry the same correlation id). */
  async function eventsCausedBy(requestIds: readonly string[]): Promise<string[]> {
    const ids = new Set(requestIds);
    const caused: string[] = [];
    for (let after = 0; ;) {
      const page = await e2e.platform.store.readAll(after, 1_000);
      if (page.length === 0) return caused;
      caused.push(...page.filter((e) => ids.has(e.correlationId)).map((e) => e.type));
      after = page.at(-1)!.globalPosition;
    }
  }

  const impersonating = (user: { userId: string; email: string }, admin = `admin-${randomUUID().slice(0, 6)}`) =>
    new SignJWT({ email: user.email, email_verified: true, act: { sub: admin, platform_admin: true } })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.userId)
      .setExpirationTime('5m')
      .sign(secret());

  describe('rule 1: path user ids are one documented format, and no name reaches a prototype', () => {
    it('DELETE …/members/constructor and PATCH …/members/__proto__ are 404s that store nothing', async () => {
      const { accountId, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const requestIds: string[] = [];
      for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        for (const [method, body] of [
          ['DELETE', undefined],
          ['PATCH', { role: 'accountant' }],
        ] as const) {
          const requestId = randomUUID();
          requestIds.push(requestId);
          const res = await e2e.call(method, `/v1/accounts/${accountId}/members/${id}`, {
            token: oliviaToken,
            body,
            headers: { 'x-request-id': requestId },
          });
          expect([id, method, res.status, res.body.code]).toEqual([id, method, 404, 'member.not_found']);
        }
      }
      await expect(eventsCausedBy(requestIds)).resolves.toEqual([]);
      // The notification read model and the mailer are untouched: the inbox still answers.
      expect((await e2e.call('GET', '/v1/me/notifications', { token: oliviaToken })).status).toBe(200);
    });

    it('a user id outside the format is a 400 naming userId', async () => {
      const { accountId, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      for (const id of ['a%20b', 'x'.repeat(256), 'a%2Fb']) {
        const res = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${id}`, { token: oliviaToken });
        expect([id, res.status, res.body.field, res.body.code]).toEqual([id, 400, 'userId', 'user.id_invalid']);
      }
      for (const id of ['%00', 'tab%09id']) {
        const res = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${id}`, { token: oliviaToken });
        expect([id, res.status, res.body.field]).toEqual([id, 400, 'userId']);
      }
      // The longest valid id reaches the service (and names nobody here).
      const longest = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${'x'.repeat(255)}`, {
        token: oliviaToken,
      });
      expect([longest.status, longest.body.code]).toEqual([404, 'member.not_found']);
    });

    it('identity-provider ids such as auth0|… are accepted', async () => {
      const { accountId, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const res = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${encodeURIComponent('auth0|65f0c1')}`, {
        token: oliviaToken,
      });
      expect([res.status, res.body.code]).toEqual([404, 'member.not_found']);
    });
  });

  describe('rule 4: an API token acts only in its own account, on every route', () => {
    it('lists only its own account', async () => {
      const { accountId, apiToken } = await twoAccounts();
      const res = await e2e.call('GET', '/v1/accounts', { token: apiToken });
      expect(res.status).toBe(200);
      expect(listItems<{ id: string }>(res.body).map((a) => a.id)).toEqual([accountId]);
    });

    it('answers 404 on another account’s routes, and changes nothing there', async () => {
      const { accountB, apiToken, oliviaToken } = await twoAccounts();
      const { call, requestIds } = tracked();
      expect((await call('GET', `/v1/accounts/${accountB}/members`, { token: apiToken })).status).toBe(404);
      expect((await call('POST', `/v1/accounts/${accountB}/leave`, { token: apiToken })).status).toBe(404);
      expect(
        (await call('POST', `/v1/accounts/${accountB}/billing-accounts`, { token: apiToken, body: { name: 'EU' } }))
          .status,
      ).toBe(404);
      await expect(eventsCausedBy(requestIds)).resolves.toEqual([]);
      expect((await e2e.call('GET', `/v1/accounts/${accountB}/members`, { token: oliviaToken })).status).toBe(200);
    });

    it('is refused on account-less routes with token.not_allowed', async () => {
      const { apiToken } = await twoAccounts();
      for (const [method, path] of [
        ['POST', '/v1/accounts'],
        ['GET', '/v1/me/notifications'],
        ['GET', '/v1/me/invitations'],
        ['POST', `/v1/invitations/${randomUUID()}/accept`],
        ['POST', `/v1/invitations/${randomUUID()}/decline`],
        ['POST', '/v1/invitations/accept-token'],
      ] as const) {
        const res = await e2e.call(method, path, {
          token: apiToken,
          body: method === 'POST' ? { name: 'x', token: 'inv_x' } : undefined,
        });
        expect([path, res.status, res.body.code]).toEqual([path, 403, 'token.not_allowed']);
      }
    });

    it('asks the authorization check only about itself, in its own account', async () => {
      const { accountId, accountB, apiToken, tokenId, olivia } = await twoAccounts();
      const ask = (body: Record<string, unknown>) =>
        e2e.call('POST', '/v1/authz/check', { token: apiToken, body: { permission: 'vps:read', ...body } });
      expect((await ask({ userId: olivia.userId, tokenId, accountId })).body).toMatchObject({ allowed: true });
      expect((await ask({ userId: olivia.userId, tokenId, accountId: accountB })).status).toBe(404);
      // About its user (a wider answer than the token's own) it may not ask.
      expect((await ask({ userId: olivia.userId, accountId })).status).toBe(403);
    });
  });

  describe('rule 5: impersonation reads what the user reads, minus accesses and tokens, and grants nothing', () => {
    it('refuses every command that grants, changes or revokes rights with impersonation.forbidden', async () => {
      const { accountId, olivia, mike, tokenId } = await twoAccounts();
      const admin = await impersonating(olivia);
      const { call, requestIds } = tracked();
      const attempts: Array<[string, string, unknown]> = [
        ['POST', '/v1/accounts', { name: 'On behalf' }],
        [
          'POST',
          `/v1/accounts/${accountId}/accesses`,
          { name: 'x', type: 'delegate', scope: { type: 'global' }, role: 'owner', recipients: ['a@example.com'] },
        ],
        ['PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, { role: 'owner' }],
        ['DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, undefined],
        ['POST', `/v1/accounts/${accountId}/tokens`, { name: 'outlives the impersonation' }],
        ['DELETE', `/v1/accounts/${accountId}/tokens/${tokenId}`, undefined],
        ['PUT', `/v1/accounts/${accountId}/token-policy`, { maxLifetimeDays: 1 }],
        ['PUT', `/v1/accounts/${accountId}/invitation-settings`, { expiryHours: 2 }],
        ['POST', `/v1/accounts/${accountId}/ownership-transfer`, { userId: mike.userId }],
        ['POST', `/v1/invitations/${randomUUID()}/accept`, undefined],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(method, path, { token: admin, body });
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'impersonation.forbidden']);
      }
      await expect(eventsCausedBy(requestIds)).resolves.toEqual([]);
    });

    it('sees no access of either type: accesses, tokens and invitations are hidden', async () => {
      const { accountId, olivia } = await twoAccounts();
      const admin = await impersonating(olivia);
      for (const path of [
        `/v1/accounts/${accountId}/accesses`,
        `/v1/accounts/${accountId}/tokens`,
        '/v1/me/invitations',
      ]) {
        const res = await e2e.call('GET', path, { token: admin });
        expect([path, res.status, res.body.code]).toEqual([path, 403, 'impersonation.forbidden']);
      }
      expect((await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: admin })).status).toBe(200);
      expect((await e2e.call('GET', '/v1/accounts', { token: admin })).status).toBe(200);
    });

    it('records every read it makes, with the admin’s id, before answering', async () => {
      const { olivia } = await twoAccounts();
      const adminId = `admin-${randomUUID().slice(0, 6)}`;
      const admin = await impersonating(olivia, adminId);
      await e2e.call('GET', '/v1/accounts', { token: admin });
      await e2e.call('GET', '/v1/me/notifications', { token: admin });
      const records = await e2e.platform.store.readStream(`impersonation-${adminId}`);
      expect(records.map((e) => e.data)).toEqual([
        { accountId: null, impersonatorId: adminId, userId: olivia.userId, route: 'GET /v1/accounts' },
        { accountId: null, impersonatorId: adminId, userId: olivia.userId, route: 'GET /v1/me/notifications' },
      ]);
    });
  });

  describe('rule 8: verified e-mail for anything shown to others', () => {
    it('creating an account and sharing access need email_verified', async () => {
      const { accountId, olivia } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const unverified = await sessionToken(config.jwtSecret, { ...olivia, emailVerified: false });
      const created = await e2e.call('POST', '/v1/accounts', { token: unverified, body: { name: 'Acme' } });
      expect([created.status, created.body.code]).toEqual([403, 'email.unverified']);
      const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
        token: unverified,
        body: {
          name: 'x',
          type: 'delegate',
          scope: { type: 'global' },
          role: 'accountant',
          recipients: ['someone@example.com'],
        },
      });
      expect([shared.status, shared.body.code]).toEqual([403, 'email.unverified']);
    });

    it('declining needs the same verified e-mail as accepting', async () => {
      const { oliviaToken, accountId } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const ann = { userId: randomUUID(), email: `ann-${randomUUID().slice(0, 6)}@example.com` };
      const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
        token: oliviaToken,
        body: { name: 'x', type: 'delegate', scope: { type: 'global' }, role: 'accountant', recipients: [ann.email] },
      });
      const invitationId = shared.body.invitations[0].id;
      const unverified = await sessionToken(config.jwtSecret, { ...ann, emailVerified: false });
      const declined = await e2e.call(
        'POST',
        `/v1/invitations/${invitationId}/decline?minPosition=${shared.body.position}`,
        { token: unverified },
      );
      expect(declined.status).toBe(403);
      const verified = await sessionToken(config.jwtSecret, ann);
      expect((await e2e.call('POST', `/v1/invitations/${invitationId}/decline`, { token: verified })).status).toBe(200);
    });
  });
});

describe('rule 14: the dev token endpoint cannot leak into a deployment', () => {
  const e2e = useEmbeddedPlatform('dev-tokens');

  it('is on in the embedded profile on loopback', async () => {
    expect(e2e.config.devTokens).toBe(true);
    expect((await e2e.call('POST', '/v1/dev/tokens', { body: { email: 'a@example.com' } })).status).toBe(201);
  });

  it('does not exist when the configuration turns it off (not on loopback)', async () => {
    // Its own data folder: one server per folder (the data-folder lock refuses a second).
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-dev-tokens-off-'));
    const platform = await startEmbedded(
      { ...embeddedConfig({ DATA_DIR: dataDir, PORT: '0' }), devTokens: false },
      {
        logger: false,
      },
    );
    try {
      const res = await fetch(`${platform.url}/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"a@example.com"}',
      });
      expect(res.status).toBe(404);
    } finally {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
