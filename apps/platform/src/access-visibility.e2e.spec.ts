import { randomUUID } from 'node:crypto';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 13, items 1, 2 and 7 end to end over HTTP (embedded profile): who sees an access's name,
// what the sharer sees of each recipient once they are gone, what an invitee sees of an invitation.
describe('what sharers and invitees see over HTTP', () => {
  const e2e = useEmbeddedPlatform('access-visibility');
  const { config } = e2e;

  const person = (label: string) => {
    const id = randomUUID();
    return { userId: id, email: `${label}-${id.slice(0, 8)}@example.com` };
  };
  type Person = ReturnType<typeof person>;
  const tokenOf = (p: Person) => sessionToken(config.jwtSecret, { ...p, emailVerified: true });

  const createAccount = async (root: Person) => {
    const created = await e2e.call('POST', '/v1/accounts', { token: await tokenOf(root), body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  const share = async (accountId: string, sharer: Person, name: string, recipients: string[], role = 'accountant') => {
    const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: await tokenOf(sharer),
      body: { name, type: 'delegate', scope: { type: 'global' }, role, recipients, message: 'Welcome aboard' },
    });
    expect(shared.status).toBe(201);
    return shared.body as { id: string; position: number; invitations: { id: string }[] };
  };

  /** `who` accepts `invitationId` and is a member once the joiner reacted (the authorization check says so). */
  const join = async (accountId: string, who: Person, invitationId: string) => {
    const token = await tokenOf(who);
    const accepted = await e2e.call('POST', `/v1/invitations/${invitationId}/accept`, { token });
    expect(accepted.status).toBe(200);
    const body = { userId: who.userId, accountId, permission: 'users:read' };
    const check = await eventually(
      () => e2e.call('POST', '/v1/authz/check', { token, body }),
      (r) => r.status === 200 && r.body.allowed === true,
    );
    expect(check.body.allowed).toBe(true);
  };

  const accessesAs = async (accountId: string, who: Person, position: number) => {
    const res = await e2e.call('GET', `/v1/accounts/${accountId}/accesses?minPosition=${position}`, {
      token: await tokenOf(who),
    });
    expect(res.status).toBe(200);
    return listItems<{ id: string; name: string | null; sharedBy: string; recipients: any[] }>(res.body);
  };

  it('an access’s name is shown to the owner who shared it only; another owner sees sharedBy and a null name', async () => {
    const olivia = person('olivia');
    const peter = person('peter');
    const accountId = await createAccount(olivia);
    const toPeter = await share(accountId, olivia, 'Co-owners', [peter.email], 'owner');
    await join(accountId, peter, toPeter.invitations[0].id);
    const peters = await share(accountId, peter, 'Peter’s contractors', [person('zoe').email]);

    const seenByOlivia = await accessesAs(accountId, olivia, peters.position);
    const seenByPeter = await accessesAs(accountId, peter, peters.position);
    const byId = (list: typeof seenByOlivia, id: string) => list.find((a) => a.id === id);
    expect(byId(seenByOlivia, toPeter.id)).toMatchObject({ name: 'Co-owners', sharedBy: olivia.userId });
    expect(byId(seenByOlivia, peters.id)).toMatchObject({ name: null, sharedBy: peter.userId });
    expect(byId(seenByPeter, toPeter.id)).toMatchObject({ name: null, sharedBy: olivia.userId });
    expect(byId(seenByPeter, peters.id)).toMatchObject({ name: 'Peter’s contractors', sharedBy: peter.userId });
    expect(JSON.stringify(seenByPeter)).not.toContain('Co-owners');
  });

  it('the sharer sees a recipient who was removed or left as ended, with when and why', async () => {
    const olivia = person('olivia');
    const mike = person('mike');
    const ann = person('ann');
    const zoe = person('zoe');
    const accountId = await createAccount(olivia);
    const shared = await share(accountId, olivia, 'Finance', [mike.email, ann.email, zoe.email]);
    const [toMike, toAnn] = shared.invitations;
    await join(accountId, mike, toMike.id);
    await join(accountId, ann, toAnn.id);

    const removed = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: await tokenOf(olivia),
    });
    expect(removed.status).toBe(200);
    const left = await e2e.call('POST', `/v1/accounts/${accountId}/leave`, { token: await tokenOf(ann) });
    expect(left.status).toBe(200);

    const [access] = await accessesAs(accountId, olivia, Math.max(removed.body.position, left.body.position));
    const row = (email: string) => access.recipients.find((r: { email: string }) => r.email === email);
    expect(row(mike.email)).toEqual({
      email: mike.email,
      invitationId: toMike.id,
      status: 'ended',
      expiresAt: expect.any(String),
      endedAt: expect.any(String),
      endedReason: 'removed',
    });
    expect(row(ann.email)).toMatchObject({ status: 'ended', endedReason: 'left' });
    expect(Date.parse(row(ann.email).endedAt)).toBeGreaterThanOrEqual(Date.parse(row(mike.email).endedAt));
    expect(row(zoe.email)).toEqual({
      email: zoe.email,
      invitationId: shared.invitations[2].id,
      status: 'pending',
      expiresAt: expect.any(String),
    });
  });

  it('a member invited again after being removed: the old row stays ended, the new one is accepted', async () => {
    const olivia = person('olivia');
    const mike = person('mike');
    const accountId = await createAccount(olivia);
    const first = await share(accountId, olivia, 'First', [mike.email]);
    await join(accountId, mike, first.invitations[0].id);
    const removed = await e2e.call('DELETE', `/v1/accounts/${accountId}/members/${mike.userId}`, {
      token: await tokenOf(olivia),
    });
    expect(removed.status).toBe(200);
    const again = await eventually(
      async () =>
        e2e.call('POST', `/v1/accounts/${accountId}/accesses?minPosition=${removed.body.position}`, {
          token: await tokenOf(olivia),
          body: {
            name: 'Again',
            type: 'delegate',
            scope: { type: 'global' },
            role: 'accountant',
            recipients: [mike.email],
          },
        }),
      (r) => r.status === 201,
    );
    expect(again.status).toBe(201);
    await join(accountId, mike, again.body.invitations[0].id);

    const accesses = await accessesAs(accountId, olivia, again.body.position);
    const statusIn = (id: string) => accesses.find((a) => a.id === id)?.recipients[0].status;
    expect(statusIn(first.id)).toBe('ended');
    expect(statusIn(again.body.id)).toBe('accepted');
  });

  it('the invitee sees account name, inviter e-mail, role, scope, message and expiry — never the access name', async () => {
    const olivia = person('olivia');
    const mike = person('mike');
    const accountId = await createAccount(olivia);
    const shared = await share(accountId, olivia, 'Secret project', [mike.email], 'administrator');

    const inbox = await e2e.call('GET', `/v1/me/invitations?minPosition=${shared.position}`, {
      token: await tokenOf(mike),
    });
    expect(inbox.status).toBe(200);
    expect(listItems(inbox.body)).toEqual([
      {
        id: shared.invitations[0].id,
        accountId,
        accountName: 'Acme',
        inviterEmail: olivia.email,
        role: 'administrator',
        scope: { type: 'global' },
        permissions: [],
        mayCreateEnvironments: false,
        status: 'pending',
        message: 'Welcome aboard',
        expiresAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(inbox.body)).not.toContain('Secret project');
  });

  it('the invitee still sees who invited them after the inviter has left the account', async () => {
    const olivia = person('olivia');
    const peter = person('peter');
    const zoe = person('zoe');
    const accountId = await createAccount(olivia);
    const toPeter = await share(accountId, olivia, 'Co-owners', [peter.email], 'owner');
    await join(accountId, peter, toPeter.invitations[0].id);
    const toZoe = await share(accountId, peter, 'Peter’s', [zoe.email]);
    const left = await e2e.call('POST', `/v1/accounts/${accountId}/leave`, { token: await tokenOf(peter) });
    expect(left.status).toBe(200);

    // The inviter leaving revokes what they sent (SEC-7a); the invitee's list still says who it was.
    const inbox = await eventually(
      async () =>
        e2e.call('GET', `/v1/me/invitations?minPosition=${Math.max(left.body.position, toZoe.position)}`, {
          token: await tokenOf(zoe),
        }),
      (r) => r.status === 200 && listItems(r.body)[0]?.status === 'revoked',
    );
    expect(listItems(inbox.body)).toEqual([
      expect.objectContaining({ id: toZoe.invitations[0].id, inviterEmail: peter.email, status: 'revoked' }),
    ]);
  });
});
