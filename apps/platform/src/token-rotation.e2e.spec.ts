import { randomUUID } from 'node:crypto';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 13 item 13 end to end over HTTP (embedded profile): rotating an API token gives a new
// secret for the same token; the previous one works for the grace period asked, never after, and
// a revoke ends both. The "after the grace" moment is the index's unit spec (no sleeping hours).
describe('API token rotation over HTTP', () => {
  const e2e = useEmbeddedPlatform('token-rotation');
  const { config } = e2e;

  /** A fresh account and its root owner's session: enough for every case but another member's. */
  const ownAccount = async () => {
    const run = randomUUID().slice(0, 8);
    const ownerToken = await sessionToken(config.jwtSecret, {
      userId: randomUUID(),
      email: `owner-${run}@example.com`,
    });
    const account = await e2e.call('POST', '/v1/accounts', { token: ownerToken, body: { name: 'Keys' } });
    expect(account.status).toBe(201);
    return { accountId: account.body.id as string, ownerToken };
  };
  const issue = (accountId: string, token: string) =>
    e2e.call('POST', `/v1/accounts/${accountId}/tokens`, { token, body: { name: 'CI', permissions: ['vps:read'] } });
  const rotate = (accountId: string, tokenId: string, token: string, body: Record<string, unknown> = {}) =>
    e2e.call('POST', `/v1/accounts/${accountId}/tokens/${tokenId}/rotate`, { token, body });
  /**
   * A request made with an API token secret, no older than `position`: 200 when the secret works,
   * 401 when not. The authorization check answers from memory, as the same token whichever secret.
   */
  const use = async (accountId: string, tokenId: string, secret: string, position: number) =>
    (
      await e2e.call('POST', '/v1/authz/check', {
        token: secret,
        body: { tokenId, accountId, permission: 'vps:read', minPosition: position },
      })
    ).status;

  it('with no grace the new secret works at once and the old one fails at once (the default)', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const issued = await issue(accountId, ownerToken);
    const rotated = await rotate(accountId, issued.body.id, ownerToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: issued.body.id, expiresAt: issued.body.expiresAt });
    expect(rotated.body.token).toMatch(/^acc_[0-9A-Za-z]{49}$/);
    expect(rotated.body.token).not.toBe(issued.body.token);
    expect(rotated.body.prefix).toBe(rotated.body.token.slice(0, 8));
    expect(rotated.body.graceEndsAt).toBe(rotated.body.rotatedAt);
    expect(await use(accountId, issued.body.id, rotated.body.token, rotated.body.position)).toBe(200);
    expect(await use(accountId, issued.body.id, issued.body.token, rotated.body.position)).toBe(401);
  });

  it('with a grace period the old secret still works now, until graceEndsAt', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const issued = await issue(accountId, ownerToken);
    const rotated = await rotate(accountId, issued.body.id, ownerToken, { graceHours: 2 });
    expect(rotated.status).toBe(200);
    expect(Date.parse(rotated.body.graceEndsAt) - Date.parse(rotated.body.rotatedAt)).toBe(2 * 3_600_000);
    expect(await use(accountId, issued.body.id, rotated.body.token, rotated.body.position)).toBe(200);
    expect(await use(accountId, issued.body.id, issued.body.token, rotated.body.position)).toBe(200);
    // The old secret acts as the same token: same id, same narrowed permissions.
    const check = (secret: string, permission: string) =>
      e2e.call('POST', '/v1/authz/check', {
        token: secret,
        body: { tokenId: issued.body.id, accountId, permission, minPosition: rotated.body.position },
      });
    for (const secret of [issued.body.token, rotated.body.token]) {
      expect((await check(secret, 'vps:read')).body.allowed).toBe(true);
      expect((await check(secret, 'vps:manage')).body.allowed).toBe(false);
    }
  });

  it('a second rotation during a grace period ends that grace at once: one previous secret only', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const first = await issue(accountId, ownerToken);
    const second = await rotate(accountId, first.body.id, ownerToken, { graceHours: 24 });
    const third = await rotate(accountId, first.body.id, ownerToken, { graceHours: 24 });
    expect(third.status).toBe(200);
    const p = third.body.position;
    expect(await use(accountId, first.body.id, first.body.token, p)).toBe(401);
    expect(await use(accountId, first.body.id, second.body.token, p)).toBe(200);
    expect(await use(accountId, first.body.id, third.body.token, p)).toBe(200);
  });

  it('revoking a rotated token kills both secrets, grace or not', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const issued = await issue(accountId, ownerToken);
    const rotated = await rotate(accountId, issued.body.id, ownerToken, { graceHours: 24 });
    const revoked = await e2e.call('DELETE', `/v1/accounts/${accountId}/tokens/${issued.body.id}`, {
      token: ownerToken,
    });
    expect(revoked.status).toBe(200);
    expect(await use(accountId, issued.body.id, issued.body.token, revoked.body.position)).toBe(401);
    expect(await use(accountId, issued.body.id, rotated.body.token, revoked.body.position)).toBe(401);
    expect((await rotate(accountId, issued.body.id, ownerToken)).body.code).toBe('token.revoked');
  });

  it('the list shows the same token with rotatedAt and the current prefix; no event holds a secret', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const issued = await issue(accountId, ownerToken);
    const rotated = await rotate(accountId, issued.body.id, ownerToken, { graceHours: 1 });
    const listed = await e2e.call('GET', `/v1/accounts/${accountId}/tokens?minPosition=${rotated.body.position}`, {
      token: ownerToken,
    });
    expect(listItems(listed.body)).toHaveLength(1);
    expect(listItems(listed.body)[0]).toMatchObject({
      id: issued.body.id,
      name: 'CI',
      permissions: ['vps:read'],
      prefix: rotated.body.prefix,
      rotatedAt: rotated.body.rotatedAt,
      revoked: false,
    });
    const events = await e2e.platform.store.readStream(`token-${issued.body.id}`);
    expect(events.at(-1)).toMatchObject({
      type: 'ApiTokenRotated',
      data: { prefix: rotated.body.prefix, graceEndsAt: rotated.body.graceEndsAt },
    });
    const stored = JSON.stringify(events);
    expect(stored).not.toContain(issued.body.token);
    expect(stored).not.toContain(rotated.body.token);
  });

  it('an owner rotates a member’s token; another member cannot (404); an API token cannot (403)', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const mike = { userId: randomUUID(), email: `mike-${randomUUID().slice(0, 8)}@example.com` };
    const mikeToken = await sessionToken(config.jwtSecret, mike);
    const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: {
        name: 'Ops',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [mike.email],
      },
    });
    const accept = `/v1/invitations/${shared.body.invitations[0].id}/accept?minPosition=${shared.body.position}`;
    expect((await e2e.call('POST', accept, { token: mikeToken })).status).toBe(200);
    // Mike joins as a reaction to the accept: his first token is issued once he is a member.
    const mikes = await eventually(
      () => issue(accountId, mikeToken),
      (r) => r.status === 201,
    );
    const owners = await issue(accountId, ownerToken);
    const byOwner = await rotate(accountId, mikes.body.id, ownerToken);
    expect(byOwner.status).toBe(200);
    expect(await use(accountId, mikes.body.id, byOwner.body.token, byOwner.body.position)).toBe(200);
    const byMember = await rotate(accountId, owners.body.id, mikeToken);
    expect([byMember.status, byMember.body.code]).toEqual([404, 'token.not_found']);
    const byToken = await rotate(accountId, mikes.body.id, byOwner.body.token);
    expect([byToken.status, byToken.body.code]).toEqual([403, 'token.no_minting']);
  });

  it('a grace period outside 0–24 whole hours is refused', async () => {
    const { accountId, ownerToken } = await ownAccount();
    const issued = await issue(accountId, ownerToken);
    for (const graceHours of [25, -1, 1.5, '2']) {
      expect((await rotate(accountId, issued.body.id, ownerToken, { graceHours })).status).toBe(400);
    }
    expect(await use(accountId, issued.body.id, issued.body.token, issued.body.position)).toBe(200);
  });
});
