import { eventually, listItems, runSliceScenario, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 5 end to end over HTTP (embedded profile): API tokens act with their user's permissions,
// never more, and stop working when the user loses them.
describe('API tokens over HTTP', () => {
  const e2e = useEmbeddedPlatform('tokens', { tokens: { lastUsedFlushMs: 100 } });
  const { config } = e2e;

  const issue = (accountId: string, token: string, body: Record<string, unknown> = { name: 'CI' }) =>
    e2e.call('POST', `/v1/accounts/${accountId}/tokens`, { token, body });

  it('a token works as its user, is shown once, and is listed by prefix with its last use', async () => {
    const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const issued = await issue(accountId, mikeToken);
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^acc_[0-9A-Za-z]{49}$/);
    const members = await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${issued.body.position}`, {
      token: issued.body.token,
    });
    expect(members.status).toBe(200);
    const listed = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/tokens`, { token: mikeToken }),
      (r) => listItems(r.body)[0]?.lastUsedAt !== null && listItems(r.body).length === 1,
    );
    expect(listItems(listed.body)[0]).toMatchObject({
      id: issued.body.id,
      prefix: issued.body.token.slice(0, 8),
      name: 'CI',
      revoked: false,
    });
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    const events = await e2e.platform.store.readStream(`token-${issued.body.id}`);
    expect(JSON.stringify(events)).not.toContain(issued.body.token);
  });

  it('GET /v1/me names the caller: the person behind a session, and behind a token its user, id and account', async () => {
    const { accountId, mikeToken, mike } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const asPerson = await e2e.call('GET', '/v1/me', { token: mikeToken });
    expect([asPerson.status, asPerson.body]).toEqual([
      200,
      { userId: mike.userId, email: mike.email, emailVerified: true, via: 'session' },
    ]);
    const issued = await issue(accountId, mikeToken);
    const asToken = await e2e.call('GET', `/v1/me?minPosition=${issued.body.position}`, { token: issued.body.token });
    expect([asToken.status, asToken.body]).toEqual([
      200,
      expect.objectContaining({ userId: mike.userId, via: 'api_token', tokenId: issued.body.id, accountId }),
    ]);
    expect((await e2e.call('GET', '/v1/me')).status).toBe(401);
  });

  it('asking for a permission the user lacks → 403 naming it', async () => {
    const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const wider = await issue(accountId, mikeToken, { name: 'too much', permissions: ['vps:read', 'users:manage'] });
    expect(wider.status).toBe(403);
    expect(wider.body.field).toBe('permissions[1]');
  });

  it('a narrowed token holds only what it names', async () => {
    const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const narrow = await issue(accountId, mikeToken, { name: 'vps only', permissions: ['vps:read'] });
    const p = narrow.body.position;
    const asToken = (permission: string) =>
      e2e.call('POST', '/v1/authz/check', {
        token: narrow.body.token,
        body: { tokenId: narrow.body.id, accountId, permission, minPosition: p },
      });
    expect((await asToken('vps:read')).body.allowed).toBe(true);
    expect((await asToken('vps:manage')).body.allowed).toBe(false);
    expect((await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: narrow.body.token })).status).toBe(403);
  });

  it('demoting the user narrows the token at once', async () => {
    const { accountId, mikeToken, oliviaToken, mike } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const token = await issue(accountId, mikeToken);
    const check = (minPosition: number) =>
      e2e.call('POST', '/v1/authz/check', {
        token: token.body.token,
        body: { tokenId: token.body.id, accountId, permission: 'vps:manage', minPosition },
      });
    expect((await check(token.body.position)).body.allowed).toBe(true);
    const demoted = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'accountant' },
    });
    expect((await check(demoted.body.position)).body.allowed).toBe(false);
  });

  it('removing the member makes their token fail with 401', async () => {
    const { accountId, mikeToken, oliviaToken, mike } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const token = await issue(accountId, mikeToken);
    expect(
      (
        await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${token.body.position}`, {
          token: token.body.token,
        })
      ).status,
    ).toBe(200);
    await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, { token: oliviaToken });
    const after = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: token.body.token }),
      (r) => r.status === 401,
    );
    expect(after.status).toBe(401);
    const events = await e2e.platform.store.readStream(`token-${token.body.id}`);
    expect(events.at(-1)).toMatchObject({ type: 'ApiTokenRevoked', data: { reason: 'member_removed' } });
  });

  it('a revoked token fails on the very next request given the revoke’s position', async () => {
    for (let i = 0; i < 3; i++) {
      const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const token = await issue(accountId, mikeToken);
      const revoked = await e2e.call('DELETE', `/v1/accounts/${accountId}/tokens/${token.body.id}`, {
        token: mikeToken,
      });
      expect(revoked.status).toBe(200);
      expect(
        (
          await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${revoked.body.position}`, {
            token: token.body.token,
          })
        ).status,
      ).toBe(401);
    }
  });

  it('a token is a key to its own account only, and cannot mint tokens', async () => {
    const first = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const second = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const token = await issue(first.accountId, first.oliviaToken);
    expect(
      (await e2e.call('GET', `/v1/accounts/${second.accountId}/members`, { token: token.body.token })).status,
    ).toBe(404);
    expect((await issue(first.accountId, token.body.token)).status).toBe(403);
  });

  it('a tampered checksum or garbage gets 401', async () => {
    const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const token: string = (await issue(accountId, mikeToken)).body.token;
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    for (const bad of [tampered, 'acc_' + 'x'.repeat(49)]) {
      const reply = await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: bad });
      expect(reply.status).toBe(401);
    }
  });

  it('the org-wide maximum lifetime caps expiry', async () => {
    const { accountId, oliviaToken, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    expect(
      (
        await e2e.call('PUT', `/v1/accounts/${accountId}/token-policy`, {
          token: mikeToken,
          body: { maxLifetimeDays: 7 },
        })
      ).status,
    ).toBe(403);
    const policy = await e2e.call('PUT', `/v1/accounts/${accountId}/token-policy`, {
      token: oliviaToken,
      body: { maxLifetimeDays: 7 },
    });
    expect(policy.status).toBe(200);
    const tooLong = await issue(accountId, mikeToken, {
      name: 'long',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(tooLong.status).toBe(400);
    const capped = await issue(accountId, mikeToken, { name: 'capped' });
    expect(Date.parse(capped.body.expiresAt) - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('accepting an access of type API token issues the recipient a token with the access’s scope (seed 000)', async () => {
    const owner = await sessionToken(config.jwtSecret, { email: `o-${Date.now()}@example.com` });
    const account = await e2e.call('POST', '/v1/accounts', { token: owner, body: { name: 'Keys' } });
    const eu = await e2e.call('POST', `/v1/accounts/${account.body.id}/billing-accounts`, {
      token: owner,
      body: { name: 'EU' },
    });
    const us = await e2e.call('POST', `/v1/accounts/${account.body.id}/billing-accounts`, {
      token: owner,
      body: { name: 'US' },
    });
    const bot = { userId: `bot-${Date.now()}`, email: `bot-${Date.now()}@example.com` };
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: owner,
      body: {
        name: 'CI key',
        type: 'api_token',
        scope: { type: 'restricted', billingAccountId: eu.body.id },
        role: 'administrator',
        recipients: [bot.email],
      },
    });
    expect(shared.status).toBe(201);
    const botSession = await sessionToken(config.jwtSecret, bot);
    const accepted = await e2e.call(
      'POST',
      `/v1/invitations/${shared.body.invitations[0].id}/accept?minPosition=${shared.body.position}`,
      { token: botSession },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.apiToken.token).toMatch(/^acc_/);
    expect(accepted.body).not.toHaveProperty('issueApiToken');
    const key = accepted.body.apiToken;
    const check = (billingAccountId: string) =>
      e2e.call('POST', '/v1/authz/check', {
        token: key.token,
        body: { tokenId: key.id, accountId: account.body.id, permission: 'vps:manage', billingAccountId },
      });
    const inEu = await eventually(
      () => check(eu.body.id),
      (r) => r.body.allowed === true,
    );
    expect(inEu.body.allowed).toBe(true);
    expect((await check(us.body.id)).body.allowed).toBe(false);
    const [issued] = await e2e.platform.store.readStream(`token-${key.id}`);
    expect(issued!.data).toMatchObject({
      issuedVia: 'access',
      scope: { type: 'restricted', billingAccountId: eu.body.id },
    });
  });

  it('a retried accept of an API-token access cannot lose the token: one live token per invitation (issue 8 rule 10)', async () => {
    const owner = await sessionToken(config.jwtSecret, { email: `o-${Date.now()}@example.com` });
    const account = await e2e.call('POST', '/v1/accounts', { token: owner, body: { name: 'Keys' } });
    const bot = { userId: `bot-${Date.now()}`, email: `bot2-${Date.now()}@example.com` };
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: owner,
      body: {
        name: 'CI key',
        type: 'api_token',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: [bot.email],
      },
    });
    const botSession = await sessionToken(config.jwtSecret, bot);
    const accept = () =>
      e2e.call('POST', `/v1/invitations/${shared.body.invitations[0].id}/accept?minPosition=${shared.body.position}`, {
        token: botSession,
      });
    const first = await accept();
    // The client never saw `first` (a lost response): it accepts again and gets a working secret.
    const again = await accept();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.apiToken.token).toMatch(/^acc_/);
    expect(again.body.apiToken.id).not.toBe(first.body.apiToken.id);
    const listAccounts = (token: string) =>
      e2e.call('GET', `/v1/accounts?minPosition=${again.body.position}`, { token });
    expect((await listAccounts(again.body.apiToken.token)).status).toBe(200);
    // The earlier secret, possibly undelivered, is revoked: only one live token per invitation.
    expect((await listAccounts(first.body.apiToken.token)).status).toBe(401);
    const revoked = await e2e.platform.store.readStream(`token-${first.body.apiToken.id}`);
    expect(revoked.at(-1)!.data).toMatchObject({ reason: 'replaced' });
  });

  it('events caused through a token record via "api_token" and the token id', async () => {
    const { accountId, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const token = await issue(accountId, mikeToken);
    const named = await e2e.call('PUT', `/v1/accounts/${accountId}/display-name`, {
      token: token.body.token,
      body: { displayName: 'via token' },
    });
    expect(named.status).toBe(200);
    const events = await e2e.platform.store.readStream(`account-${accountId}`);
    expect(events.at(-1)!.actor).toMatchObject({ via: 'api_token', tokenId: token.body.id });
  });
});
