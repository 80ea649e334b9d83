import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { runSliceScenario } from '@accord/testing';
import type { AccessAtAnswer, EventEnvelope } from '@accord/contracts';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 11, "who could do X at time T", end to end: a member joins through a real invitation, an
// owner changes their role and removes them, and the owner asks at instants between, taken from
// the stored events themselves.
describe('access history over HTTP', () => {
  const e2e = useEmbeddedPlatform('access-history');
  const { config } = e2e;

  const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

  it('answers before a grant, during it, after a role change and after removal, naming the events', async () => {
    const { accountId, olivia, oliviaToken, mike, mikeToken } = await runSliceScenario(
      e2e.platform.url,
      config.jwtSecret,
    );
    const ask = (query: Record<string, string>, token = oliviaToken) =>
      e2e.call<AccessAtAnswer>(
        'GET',
        `/v1/accounts/${accountId}/access-history?${new URLSearchParams({ userId: mike.userId, ...query })}`,
        { token },
      );

    // While a member but no owner, Mike may not ask.
    const notOwner = await ask({ permission: 'vps:manage', at: new Date().toISOString() }, mikeToken);
    expect(notOwner.status).toBe(403);
    expect(notOwner.body).toMatchObject({ code: 'authz.denied' });

    const changed = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
      body: { role: 'accountant' },
    });
    expect(changed.status).toBe(200);
    const removed = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: oliviaToken,
    });
    expect(removed.status).toBe(200);

    const stream = await e2e.platform.store.readStream(`account-${accountId}`);
    const only = (type: string): EventEnvelope => {
      const events = stream.filter((e) => e.type === type);
      expect(events).toHaveLength(1);
      return events[0]!;
    };
    const [joined, roleChanged, memberRemoved] = [only('MemberJoined'), only('RoleChanged'), only('MemberRemoved')];
    expect(Date.parse(roleChanged.occurredAt)).toBeGreaterThan(Date.parse(joined.occurredAt));
    const evidence = (event: EventEnvelope, what: string) => ({
      eventId: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      actor: event.actor,
      what,
    });

    // Before the grant: never a member.
    const before = await ask({ permission: 'vps:manage', at: plus(joined.occurredAt, -1) });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      allowed: false,
      reason: 'not a member of this account',
      at: plus(joined.occurredAt, -1),
      role: null,
      scope: null,
      grants: [],
    });

    // During it (from the very instant of the join): an administrator, through the join.
    const during = await ask({ permission: 'vps:manage', at: joined.occurredAt });
    expect(during.body).toEqual({
      allowed: true,
      reason: 'role administrator',
      at: joined.occurredAt,
      role: 'administrator',
      scope: { type: 'global' },
      grants: [evidence(joined, 'role administrator')],
    });
    expect(joined.actor).toMatchObject({ userId: mike.userId });

    // After the role change: the accountant's answer, through the RoleChanged Olivia made.
    const afterChange = roleChanged.occurredAt;
    expect((await ask({ permission: 'vps:manage', at: afterChange })).body).toMatchObject({
      allowed: false,
      reason: 'no vps:manage',
      role: 'accountant',
      grants: [],
    });
    const billing = await ask({ permission: 'billing:manage', at: afterChange });
    expect(billing.body).toMatchObject({
      allowed: true,
      reason: 'role accountant',
      grants: [evidence(roleChanged, 'role accountant')],
    });
    expect(roleChanged.actor).toEqual({ userId: olivia.userId, via: 'session' });

    // After removal: not a member, naming the MemberRemoved.
    const after = await ask({ permission: 'billing:manage', at: memberRemoved.occurredAt });
    expect(after.body).toMatchObject({
      allowed: false,
      reason: 'not a member of this account',
      grants: [evidence(memberRemoved, 'removed from the account')],
    });

    // At "now", the same answer as the live check (Olivia may check herself only).
    const now = new Date().toISOString();
    const live = await e2e.call('POST', '/v1/authz/check', {
      token: oliviaToken,
      body: { userId: olivia.userId, accountId, permission: 'users:manage', minPosition: removed.body.position },
    });
    const history = await ask({ userId: olivia.userId, permission: 'users:manage', at: now });
    expect({ allowed: history.body.allowed, reason: history.body.reason }).toEqual(live.body);
    expect(history.body.grants).toEqual([evidence(only('AccountCreated'), 'owner, created the account')]);
  });

  it('refuses a bad `at` with a 400 naming it, a missing account with 404, and an impersonator with 403', async () => {
    const { accountId, olivia, oliviaToken, mike } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const bad = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/access-history?userId=${mike.userId}&permission=vps:read&at=2030-01-01T00:00:00`,
      { token: oliviaToken },
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'at' });

    const unknown = await e2e.call(
      'GET',
      `/v1/accounts/${randomUUID()}/access-history?userId=${mike.userId}&permission=vps:read&at=2030-01-01T00:00:00Z`,
      { token: oliviaToken },
    );
    expect(unknown.status).toBe(404);

    const impersonation = await new SignJWT({
      email: olivia.email,
      email_verified: true,
      act: { sub: 'admin-1', platform_admin: true },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(olivia.userId)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    const refused = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/access-history?userId=${mike.userId}&permission=vps:read&at=2030-01-01T00:00:00Z`,
      { token: impersonation },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('impersonation.forbidden');
  });
});
