import { randomUUID } from 'node:crypto';
import { eventually, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';
import { waitForInvitationLink } from './testing/invitation-mail';

// Issue 13 items 4–6 end to end over HTTP (embedded profile): permissions chosen at invitation
// (INV-26), "Allow user to create new environments" as `environments:create` (AUTHZ-16), and
// `servers:transfer`, the root owner's alone (AUTHZ-17).
describe('permissions at invitation, environments:create and servers:transfer over HTTP', () => {
  const e2e = useEmbeddedPlatform('invitation-permissions');
  const { config } = e2e;

  const person = () => {
    const id = randomUUID();
    return { userId: id, email: `p-${id.slice(0, 8)}@example.com` };
  };
  const tokenOf = (p: { userId: string; email: string }) =>
    sessionToken(config.jwtSecret, { ...p, emailVerified: true });
  /** A members list, whether the body is the list or a page of it. */
  const rows = (body: any): any[] => (Array.isArray(body) ? body : (body.items ?? body.data ?? []));

  /** An owner with an account. */
  const anAccount = async () => {
    const owner = person();
    const ownerToken = await tokenOf(owner);
    const account = await e2e.call('POST', '/v1/accounts', { token: ownerToken, body: { name: 'Acme' } });
    expect(account.status).toBe(201);
    return { owner, ownerToken, accountId: account.body.id as string };
  };

  const shareBody = (recipient: string, extra: Record<string, unknown> = {}) => ({
    name: 'SBS readers',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'read-only',
    recipients: [recipient],
    ...extra,
  });

  /** Shares with a new person, who accepts; resolves once they are a member. */
  const join = async (accountId: string, ownerToken: string, extra: Record<string, unknown> = {}) => {
    const who = person();
    const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: shareBody(who.email, extra),
    });
    expect(shared.status).toBe(201);
    const token = await tokenOf(who);
    const accepted = await e2e.call(
      'POST',
      `/v1/invitations/${shared.body.invitations[0].id}/accept?minPosition=${shared.body.position}`,
      { token },
    );
    expect(accepted.status).toBe(200);
    const members = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: ownerToken }),
      (r) => r.status === 200 && rows(r.body).some((m) => m.userId === who.userId),
    );
    const member = rows(members.body).find((m) => m.userId === who.userId);
    // Every check below is about a member: a join that never happened must fail here.
    expect(member).toBeDefined();
    // Checks pass the join's store position: the authorization index answers once it has it.
    const stored = await e2e.platform.store.readStream(`account-${accountId}`);
    const position = stored.find(
      (e) => e.type === 'MemberJoined' && (e.data as any).userId === who.userId,
    )!.globalPosition;
    return { who, token, member, position };
  };

  const check = (token: string, body: Record<string, unknown>) => e2e.call('POST', '/v1/authz/check', { token, body });

  it('a share carries permissions; the member joins with exactly them (seed 002 scopes)', async () => {
    const { accountId, ownerToken } = await anAccount();
    const { who, token, member, position } = await join(accountId, ownerToken, {
      permissions: ['account-api:query:*', 'vps:manage'],
    });
    expect(member).toMatchObject({ role: 'read-only', permissions: ['account-api:query:*', 'vps:manage'] });
    const asMember = (permission: string) =>
      check(token, { userId: who.userId, accountId, permission, minPosition: position });
    expect((await asMember('vps:manage')).body.allowed).toBe(true);
    expect((await asMember('account-api:query:orders')).body.allowed).toBe(true);
    expect((await asMember('account-api:mutate:orders')).body.allowed).toBe(false);
    expect((await asMember('dns:manage')).body.allowed).toBe(false);
  });

  it('the invitee, the link and the owners see the permissions and the environment flag a share grants', async () => {
    const { accountId, ownerToken } = await anAccount();
    const who = person();
    const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: shareBody(who.email, { permissions: ['vps:manage'], mayCreateEnvironments: true }),
    });
    expect(shared.status).toBe(201);
    const grant = { permissions: ['vps:manage'], mayCreateEnvironments: true };
    const after = `minPosition=${shared.body.position}`;

    const mine = await e2e.call('GET', `/v1/me/invitations?${after}`, { token: await tokenOf(who) });
    expect(mine.body.items).toEqual([expect.objectContaining({ role: 'read-only', ...grant })]);
    const link = new URL(await waitForInvitationLink(e2e.dataDir, who.email, e2e.platform.url));
    const token = link.hash.split('/').pop()!;
    const byLink = await e2e.call('GET', `/v1/invitations/by-token/${token}?${after}`);
    expect(byLink.body).toEqual(expect.objectContaining({ role: 'read-only', ...grant }));
    const access = await e2e.call('GET', `/v1/accounts/${accountId}/accesses/${shared.body.id}?${after}`, {
      token: ownerToken,
    });
    expect(access.body).toEqual(expect.objectContaining({ role: 'read-only', ...grant }));

    const plain = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: shareBody(person().email),
    });
    const plainAccess = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/accesses/${plain.body.id}?minPosition=${plain.body.position}`,
      {
        token: ownerToken,
      },
    );
    expect(plainAccess.body).toEqual(expect.objectContaining({ permissions: [], mayCreateEnvironments: false }));
  });

  it('a share’s permissions are expanded with related sections, as PATCH does', async () => {
    const { accountId, ownerToken } = await anAccount();
    const { member } = await join(accountId, ownerToken, { permissions: ['servers:read'] });
    expect(member.permissions).toEqual(expect.arrayContaining(['servers:read', 'ssh-keys:read', 'firewall:read']));
  });

  it.each([
    ['an owner-only permission', { permissions: ['vps:read', 'users:manage'] }, 'permissions[1]'],
    ['a special permission', { permissions: ['servers:transfer'] }, 'permissions[0]'],
    ['a malformed permission', { permissions: ['vps:admin'] }, '"field":"permissions"'],
    ['permissions with the owner role', { role: 'owner', permissions: ['vps:read'] }, 'permissions'],
  ])('a share with %s is refused (400) and invites nobody', async (_, extra, field) => {
    const { accountId, ownerToken } = await anAccount();
    const refused = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: shareBody(person().email, extra),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(field);
    const accesses = await e2e.call('GET', `/v1/accounts/${accountId}/accesses`, { token: ownerToken });
    expect(rows(accesses.body)).toEqual([]);
  });

  it('environments:create: set at invitation, changed by PATCH, answered by the check (seed 001)', async () => {
    const { accountId, owner, ownerToken } = await anAccount();
    const allowed = await join(accountId, ownerToken, { mayCreateEnvironments: true });
    const plain = await join(accountId, ownerToken);
    expect(allowed.member.mayCreateEnvironments).toBe(true);
    expect(plain.member.mayCreateEnvironments).toBe(false);
    const may = async (token: string, userId: string, minPosition?: number) =>
      (
        await check(token, {
          userId,
          accountId,
          permission: 'environments:create',
          ...(minPosition === undefined ? {} : { minPosition }),
        })
      ).body.allowed;
    expect(await may(allowed.token, allowed.who.userId, plain.position)).toBe(true);
    expect(await may(plain.token, plain.who.userId, plain.position)).toBe(false);
    expect(await may(ownerToken, owner.userId)).toBe(true);
    const off = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${allowed.who.userId}`, {
      token: ownerToken,
      body: { mayCreateEnvironments: false },
    });
    expect(off.status).toBe(200);
    expect(await may(allowed.token, allowed.who.userId, off.body.position)).toBe(false);
    const on = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${plain.who.userId}`, {
      token: ownerToken,
      body: { mayCreateEnvironments: true },
    });
    expect(await may(plain.token, plain.who.userId, on.body.position)).toBe(true);
  });

  it('servers:transfer: the root owner only, whatever other grants say (seed 003)', async () => {
    const { accountId, owner, ownerToken } = await anAccount();
    const second = await join(accountId, ownerToken, { role: 'owner' });
    const admin = await join(accountId, ownerToken, { role: 'administrator', permissions: ['servers:manage'] });
    const transfer = (token: string, userId: string) =>
      check(token, { userId, accountId, permission: 'servers:transfer', minPosition: admin.position });
    // The administrator holds servers:manage, and the other owner everything else: only transfer is denied.
    expect(
      (
        await check(admin.token, {
          userId: admin.who.userId,
          accountId,
          permission: 'servers:manage',
          minPosition: admin.position,
        })
      ).body.allowed,
    ).toBe(true);
    expect(
      (
        await check(second.token, {
          userId: second.who.userId,
          accountId,
          permission: 'users:manage',
          minPosition: admin.position,
        })
      ).body.allowed,
    ).toBe(true);
    expect((await transfer(ownerToken, owner.userId)).body.allowed).toBe(true);
    expect((await transfer(second.token, second.who.userId)).body.allowed).toBe(false);
    expect((await transfer(admin.token, admin.who.userId)).body.allowed).toBe(false);
    // No PATCH gives it either.
    const patched = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${admin.who.userId}`, {
      token: ownerToken,
      body: { permissions: ['servers:transfer'] },
    });
    expect(patched.status).toBe(400);
  });

  it('servers:transfer by API token: the root owner’s token, narrowed by its own permissions', async () => {
    const { accountId, ownerToken } = await anAccount();
    const second = await join(accountId, ownerToken, { role: 'owner' });
    const issue = (token: string, body: Record<string, unknown>) =>
      e2e.call('POST', `/v1/accounts/${accountId}/tokens`, { token, body });
    const asToken = async (issued: { body: { id: string; token: string; position: number } }) =>
      (
        await check(issued.body.token, {
          tokenId: issued.body.id,
          accountId,
          permission: 'servers:transfer',
          minPosition: issued.body.position,
        })
      ).body.allowed;
    const whole = await issue(ownerToken, { name: 'root, all' });
    const narrowedTo = await issue(ownerToken, { name: 'root, transfer', permissions: ['servers:transfer'] });
    const narrowedAway = await issue(ownerToken, { name: 'root, vps', permissions: ['vps:manage'] });
    expect([whole.status, narrowedTo.status, narrowedAway.status]).toEqual([201, 201, 201]);
    expect(await asToken(whole)).toBe(true);
    expect(await asToken(narrowedTo)).toBe(true);
    expect(await asToken(narrowedAway)).toBe(false);
    const othersToken = await issue(second.token, { name: 'owner, all' });
    expect(await asToken(othersToken)).toBe(false);
    const othersAsk = await issue(second.token, { name: 'owner, transfer', permissions: ['servers:transfer'] });
    expect(othersAsk.status).toBe(403);
  });
});
