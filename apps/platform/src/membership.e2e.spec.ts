import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { eventually, listItems, runSliceScenario, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 4's membership flows end to end over HTTP (embedded profile).
describe('membership, roles and the authorization check over HTTP', () => {
  const e2e = useEmbeddedPlatform('membership');
  const { config } = e2e;

  const check = (token: string, body: Record<string, unknown>) => e2e.call('POST', '/v1/authz/check', { token, body });

  it('an owner changes a member’s role; the check follows at the returned position', async () => {
    const { accountId, mike, mikeToken, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const before = await check(mikeToken, { userId: mike.userId, accountId, permission: 'vps:manage' });
    expect(before.body).toMatchObject({ allowed: true });
    const changed = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'accountant' },
    });
    expect(changed.status).toBe(200);
    const after = await check(mikeToken, {
      userId: mike.userId,
      accountId,
      permission: 'vps:manage',
      minPosition: changed.body.position,
    });
    expect(after.body.allowed).toBe(false);
    expect(
      (
        await check(mikeToken, {
          userId: mike.userId,
          accountId,
          permission: 'billing:manage',
          minPosition: changed.body.position,
        })
      ).body.allowed,
    ).toBe(true);
  });

  it('a non-owner cannot manage users (403) and cannot widen their own role', async () => {
    const { accountId, mike, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const self = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: mikeToken,
      body: { role: 'owner' },
    });
    expect(self.status).toBe(403);
  });

  it('a check passing the position returned by a member’s removal is denied every time', async () => {
    for (let i = 0; i < 5; i++) {
      const { accountId, mike, mikeToken, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
      const removed = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, {
        token: oliviaToken,
      });
      expect(removed.status).toBe(200);
      const denied = await check(mikeToken, {
        userId: mike.userId,
        accountId,
        permission: 'users:read',
        minPosition: removed.body.position,
      });
      expect(denied.body).toEqual({ allowed: false, reason: 'not a member of this account' });
      expect(
        (
          await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${removed.body.position}`, {
            token: mikeToken,
          })
        ).status,
      ).toBe(404);
    }
  });

  it('the root owner cannot be removed or leave; a member leaves', async () => {
    const { accountId, olivia, oliviaToken, mikeToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    expect((await e2e.call('POST', `/v1/accounts/${accountId}/leave`, { token: oliviaToken })).status).toBe(409);
    const left = await e2e.call('POST', `/v1/accounts/${accountId}/leave`, { token: mikeToken });
    expect(left.status).toBe(200);
    const members = await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${left.body.position}`, {
      token: oliviaToken,
    });
    expect(listItems<{ userId: string }>(members.body).map((m) => m.userId)).toEqual([olivia.userId]);
  });

  it('ownership transfer makes the member the root; the previous root stays an owner', async () => {
    const { accountId, olivia, oliviaToken, mike, mikeToken } = await runSliceScenario(
      e2e.platform.url,
      config.jwtSecret,
    );
    const moved = await e2e.call('POST', `/v1/accounts/${accountId}/ownership-transfer`, {
      token: oliviaToken,
      body: { userId: mike.userId },
    });
    expect(moved.status).toBe(200);
    const members = await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${moved.body.position}`, {
      token: mikeToken,
    });
    const byId = Object.fromEntries(listItems<{ userId: string }>(members.body).map((m) => [m.userId, m]));
    expect(byId[mike.userId]).toMatchObject({ role: 'owner', isRootOwner: true });
    expect(byId[olivia.userId]).toMatchObject({ role: 'owner', isRootOwner: false });
    expect((await e2e.call('POST', `/v1/accounts/${accountId}/leave`, { token: oliviaToken })).status).toBe(200);
  });

  it('"Shared with me" shows the owner e-mail, my role, my name for the account and may-create-environments', async () => {
    const { accountId, mike, mikeToken, oliviaToken, olivia } = await runSliceScenario(
      e2e.platform.url,
      config.jwtSecret,
    );
    await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { mayCreateEnvironments: true, displayName: 'Mike (ops)' },
    });
    const named = await e2e.call('PUT', `/v1/accounts/${accountId}/display-name`, {
      token: mikeToken,
      body: { displayName: 'Olivia’s Acme' },
    });
    expect(named.status).toBe(200);
    const shared = await eventually(
      () => e2e.call('GET', `/v1/accounts?minPosition=${named.body.position}`, { token: mikeToken }),
      (r) => listItems(r.body)[0]?.mayCreateEnvironments === true,
    );
    expect(listItems(shared.body)).toEqual([
      expect.objectContaining({
        id: accountId,
        ownerEmail: olivia.email,
        role: 'administrator',
        displayName: 'Olivia’s Acme',
        mayCreateEnvironments: true,
      }),
    ]);
    const members = await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: oliviaToken });
    expect(listItems(members.body).find((m) => m['userId'] === mike.userId)?.['displayName']).toBe('Mike (ops)');
  });

  it('a member restricted to billing account A can neither read nor act on billing account B', async () => {
    const { accountId, mike, mikeToken, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const a = await e2e.call('POST', `/v1/accounts/${accountId}/billing-accounts`, {
      token: oliviaToken,
      body: { name: 'A' },
    });
    const b = await e2e.call('POST', `/v1/accounts/${accountId}/billing-accounts`, {
      token: oliviaToken,
      body: { name: 'B' },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    const restricted = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { scope: { type: 'restricted', billingAccountId: a.body.id } },
    });
    expect(restricted.status).toBe(200);
    const p = restricted.body.position;
    expect(
      (
        await check(mikeToken, {
          userId: mike.userId,
          accountId,
          permission: 'vps:manage',
          billingAccountId: a.body.id,
          minPosition: p,
        })
      ).body.allowed,
    ).toBe(true);
    expect(
      (
        await check(mikeToken, {
          userId: mike.userId,
          accountId,
          permission: 'vps:manage',
          billingAccountId: b.body.id,
          minPosition: p,
        })
      ).body.allowed,
    ).toBe(false);
    expect(
      (
        await check(mikeToken, {
          userId: mike.userId,
          accountId,
          permission: 'billing:read',
          billingAccountId: b.body.id,
          minPosition: p,
        })
      ).body.allowed,
    ).toBe(false);
    const visible = await e2e.call('GET', `/v1/accounts/${accountId}/billing-accounts?minPosition=${p}`, {
      token: mikeToken,
    });
    expect(listItems(visible.body)).toEqual([{ id: a.body.id, name: 'A' }]);
    const share = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: mikeToken,
      body: {
        name: 'x',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: ['z@example.com'],
      },
    });
    expect(share.status).toBe(403);
  });

  it('support look-up (seed 003): management / read only / none per section', async () => {
    const { accountId, mike, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const changed = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'read-only' },
    });
    const access = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/members/${mike.userId}/access?minPosition=${changed.body.position}`,
      { token: oliviaToken },
    );
    expect(access.status).toBe(200);
    expect(access.body.sections.vps).toBe('read only');
    const accountant = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'accountant' },
    });
    const again = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/members/${mike.userId}/access?minPosition=${accountant.body.position}`,
      { token: oliviaToken },
    );
    expect(again.body.sections).toMatchObject({ billing: 'management', vps: 'none' });
  });

  it('the authorization check answers for yourself only, unless asked by an internal service', async () => {
    const { accountId, mike, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    expect((await check(oliviaToken, { userId: mike.userId, accountId, permission: 'vps:manage' })).status).toBe(403);
    const service = await new SignJWT({
      email: 'billing-service@internal',
      email_verified: true,
      platform_service: true,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('svc-billing')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    expect((await check(service, { userId: mike.userId, accountId, permission: 'vps:manage' })).body).toMatchObject({
      allowed: true,
    });
  });

  it('a platform admin impersonating a user cannot see or create that user’s access delegations (seed 000)', async () => {
    const { accountId, olivia } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const impersonation = await new SignJWT({
      email: olivia.email,
      email_verified: true,
      act: { sub: 'admin-1', platform_admin: true },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(olivia.userId)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    const list = await e2e.call('GET', `/v1/accounts/${accountId}/accesses`, { token: impersonation });
    expect(list.status).toBe(403);
    expect(list.body.code).toBe('impersonation.forbidden');
    expect((await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: impersonation })).status).toBe(200);
    const forged = await new SignJWT({ email: olivia.email, email_verified: true, act: { sub: 'someone' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(olivia.userId)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    expect((await e2e.call('GET', '/v1/accounts', { token: forged })).status).toBe(401);
  });

  it('impersonated reads are recorded with via "impersonation" and the admin’s id', async () => {
    const { accountId, olivia } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const admin = `admin-${randomUUID().slice(0, 8)}`;
    const impersonation = await new SignJWT({
      email: olivia.email,
      email_verified: true,
      act: { sub: admin, platform_admin: true },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(olivia.userId)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    expect((await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: impersonation })).status).toBe(200);
    const [event] = await e2e.platform.store.readStream(`impersonation-${admin}`);
    expect(event!.actor).toEqual({ userId: olivia.userId, via: 'impersonation', impersonatorId: admin });
    expect(event!.data).toEqual({
      accountId,
      impersonatorId: admin,
      userId: olivia.userId,
      route: 'GET /v1/accounts/:accountId/members',
    });
  });

  it('removing a member revokes the pending invitations they sent (GitLab #26801)', async () => {
    const { accountId, mike, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const promoted = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'owner' },
    });
    const mikeToken = await sessionToken(config.jwtSecret, mike);
    const sent = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: mikeToken,
      body: {
        name: 'By Mike',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: ['friend-of-mike@example.com'],
      },
    });
    expect([promoted.status, sent.status]).toEqual([200, 201]);
    const removed = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
    });
    expect(removed.status).toBe(200);
    // Olivia sees Mike's access without its name (INV-4): she finds it by its id.
    const byMike = (r: { body: Array<{ id: string; recipients: Array<{ status: string }> }> }) =>
      listItems(r.body).find((a) => a.id === sent.body.id);
    const accesses = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/accesses`, { token: oliviaToken }),
      (r) => byMike(r)?.recipients[0].status === 'revoked',
    );
    expect(byMike(accesses)?.recipients[0].status).toBe('revoked');
  });
});
