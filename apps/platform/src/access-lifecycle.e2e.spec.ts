import { randomUUID } from 'node:crypto';
import { streams, type MemberRemovedData } from '@accord/contracts';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// An access's life after its share, end to end over HTTP (embedded profile): more recipients
// (INV-27), a new name and revocation (INV-28), and time-limited access (INV-29). The access-expiry
// scheduler runs on a clock this spec moves forward, so time passes without sleeping.
describe('access lifecycle over HTTP', () => {
  let travelledMs = 0;
  const e2e = useEmbeddedPlatform('access-lifecycle', {
    invitations: { expiryCheckMs: 100, clock: () => new Date(Date.now() + travelledMs) },
  });
  const { config } = e2e;

  type Person = { userId: string; email: string; token: string };
  const person = async (): Promise<Person> => {
    const userId = randomUUID();
    const email = `p-${userId.slice(0, 8)}@example.com`;
    return { userId, email, token: await sessionToken(config.jwtSecret, { userId, email, emailVerified: true }) };
  };

  /** An owner with an account. */
  const account = async () => {
    const owner = await person();
    const created = await e2e.call('POST', '/v1/accounts', { token: owner.token, body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    return { owner, accountId: created.body.id as string };
  };

  const share = async (accountId: string, by: Person, recipients: string[], body: Record<string, unknown> = {}) =>
    e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: by.token,
      body: { name: 'Team', type: 'delegate', scope: { type: 'global' }, role: 'administrator', recipients, ...body },
    });

  /** `who` accepts their invitation (of the share or of added recipients); returns the accept's position. */
  const accept = async (who: Person, invitationId: string, minPosition: number): Promise<number> => {
    const accepted = await e2e.call('POST', `/v1/invitations/${invitationId}/accept?minPosition=${minPosition}`, {
      token: who.token,
    });
    expect(accepted.status).toBe(200);
    return accepted.body.position as number;
  };

  /** A member of the account `owner` runs, joined through a fresh access; with that access's id. */
  const memberThroughNewAccess = async (accountId: string, owner: Person, role = 'administrator') => {
    const member = await person();
    const shared = await share(accountId, owner, [member.email], { role });
    expect(shared.status).toBe(201);
    const position = await accept(member, shared.body.invitations[0].id, shared.body.position);
    return { member, accessId: shared.body.id as string, position };
  };

  const removals = async (accountId: string): Promise<MemberRemovedData[]> =>
    (await e2e.platform.store.readStream(streams.account(accountId)))
      .filter((e) => e.type === 'MemberRemoved')
      .map((e) => e.data as MemberRemovedData);

  const getAccess = (accountId: string, accessId: string, by: Person, minPosition = 0) =>
    e2e.call('GET', `/v1/accounts/${accountId}/accesses/${accessId}?minPosition=${minPosition}`, { token: by.token });

  it('adds recipients to an access by every rule of a share; they accept and join', async () => {
    const { owner, accountId } = await account();
    const mike = await person();
    const ann = await person();
    const shared = await share(accountId, owner, [mike.email]);
    const accessId = shared.body.id as string;

    const added = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${accessId}/recipients`, {
      token: owner.token,
      body: { recipients: [ann.email] },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: accessId, invitations: [{ email: ann.email, status: 'pending' }] });

    const view = await getAccess(accountId, accessId, owner, added.body.position);
    expect(view.body.recipients.map((r: { email: string }) => r.email)).toEqual([mike.email, ann.email]);

    // One pending invitation per e-mail in the account, as for a share.
    const again = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${accessId}/recipients`, {
      token: owner.token,
      body: { recipients: [mike.email.toUpperCase()] },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invitation.pending_exists');

    const joined = await accept(ann, added.body.invitations[0].id, added.body.position);
    // A member is not invited again.
    const member = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${accessId}/recipients`, {
      token: owner.token,
      body: { recipients: [ann.email] },
    });
    expect(member.status).toBe(409);
    expect(member.body.code).toBe('invitation.already_member');
    const members = await e2e.call('GET', `/v1/accounts/${accountId}/members?minPosition=${joined}`, {
      token: owner.token,
    });
    expect(listItems(members.body).map((m) => m['email'])).toContain(ann.email);

    // A bad address is a 400 naming the entry; an unknown access is a 404.
    const bad = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${accessId}/recipients`, {
      token: owner.token,
      body: { recipients: ['not-an-address'] },
    });
    expect(bad.status).toBe(400);
    const unknown = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${randomUUID()}/recipients`, {
      token: owner.token,
      body: { recipients: ['zoe@example.com'] },
    });
    expect(unknown.status).toBe(404);
  });

  it('the sharer renames their access; another owner is refused and still sees no name', async () => {
    const { owner, accountId } = await account();
    const { member: olga } = await memberThroughNewAccess(accountId, owner, 'owner');
    const shared = await share(accountId, owner, [`x-${randomUUID().slice(0, 8)}@example.com`]);
    const accessId = shared.body.id as string;

    const refused = await e2e.call('PATCH', `/v1/accounts/${accountId}/accesses/${accessId}`, {
      token: olga.token,
      body: { name: 'Mine now' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('access.sharer_only');

    const renamed = await e2e.call('PATCH', `/v1/accounts/${accountId}/accesses/${accessId}`, {
      token: owner.token,
      body: { name: '  Finance 2027 ' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: accessId, name: 'Finance 2027' });
    expect((await getAccess(accountId, accessId, owner, renamed.body.position)).body.name).toBe('Finance 2027');
    expect((await getAccess(accountId, accessId, olga, renamed.body.position)).body.name).toBeNull();

    const empty = await e2e.call('PATCH', `/v1/accounts/${accountId}/accesses/${accessId}`, {
      token: owner.token,
      body: { name: '   ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('name');
  });

  it('revoking an access revokes its pending invitations and removes its members (access_revoked), whose tokens stop working', async () => {
    const { owner, accountId } = await account();
    const mike = await person();
    const ann = await person();
    const shared = await share(accountId, owner, [mike.email, ann.email]);
    const accessId = shared.body.id as string;
    const [mikeInvitation] = shared.body.invitations as { id: string }[];
    const joined = await accept(mike, mikeInvitation!.id, shared.body.position);
    const token = await e2e.call('POST', `/v1/accounts/${accountId}/tokens?minPosition=${joined}`, {
      token: mike.token,
      body: { name: 'CI' },
    });
    expect(token.status).toBe(201);
    // Bob joined through another access: its revocation is none of his business. (A member holds
    // exactly one access, the one they joined through: a share to a member's e-mail is refused and
    // a second acceptance adds nothing, so "a member who also holds another access" cannot exist.)
    const { member: bob } = await memberThroughNewAccess(accountId, owner);

    const revoked = await e2e.call('DELETE', `/v1/accounts/${accountId}/accesses/${accessId}`, { token: owner.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: accessId, status: 'revoked' });

    const removed = await eventually(
      () => removals(accountId),
      (r) => r.length > 0,
    );
    expect(removed).toEqual([
      { accountId, userId: mike.userId, email: mike.email, removedBy: owner.userId, reason: 'access_revoked' },
    ]);
    const gone = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: token.body.token }),
      (r) => r.status === 401,
    );
    expect(gone.status).toBe(401);

    const view = await eventually(
      () => getAccess(accountId, accessId, owner),
      (r) => r.body.recipients?.[0]?.status === 'ended',
    );
    expect(view.body).toMatchObject({ status: 'revoked', accessExpiresAt: null });
    expect(view.body.endedAt).toEqual(expect.any(String));
    expect(view.body.recipients).toEqual([
      expect.objectContaining({ email: mike.email, status: 'ended', endedReason: 'access_revoked' }),
      expect.objectContaining({ email: ann.email, status: 'revoked' }),
    ]);
    const members = listItems(
      (await e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: owner.token })).body,
    ).map((m) => m['userId']);
    expect(members).toContain(bob.userId);
    expect(members).not.toContain(mike.userId);

    // The removal notice says why.
    const inbox = await eventually(
      () => e2e.call('GET', '/v1/me/notifications', { token: mike.token }),
      (r) => listItems(r.body).some((n) => n['kind'] === 'member_removed'),
    );
    expect(listItems(inbox.body).find((n) => n['kind'] === 'member_removed')?.['text']).toContain('revoked');

    // Revoking again changes nothing and removes nobody; the revoked access takes no one new.
    const again = await e2e.call('DELETE', `/v1/accounts/${accountId}/accesses/${accessId}`, { token: owner.token });
    expect(again.status).toBe(200);
    expect(await removals(accountId)).toHaveLength(1);
    const add = await e2e.call('POST', `/v1/accounts/${accountId}/accesses/${accessId}/recipients`, {
      token: owner.token,
      body: { recipients: ['late@example.com'] },
    });
    expect(add.status).toBe(409);
    expect(add.body.code).toBe('access.ended');
  });

  it('a member who is not an owner cannot revoke an access', async () => {
    const { owner, accountId } = await account();
    const { member: mike, accessId } = await memberThroughNewAccess(accountId, owner, 'accountant');
    const refused = await e2e.call('DELETE', `/v1/accounts/${accountId}/accesses/${accessId}`, { token: mike.token });
    expect(refused.status).toBe(403);
  });

  it('an access end in the past, or more than one year ahead, is refused with 400 naming accessExpiresAt', async () => {
    const { owner, accountId } = await account();
    const past = await share(accountId, owner, ['p@example.com'], { accessExpiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('accessExpiresAt');
    const tooFar = new Date(Date.now() + 367 * 24 * 3600 * 1000).toISOString();
    const far = await share(accountId, owner, ['p@example.com'], { accessExpiresAt: tooFar });
    expect(far.status).toBe(400);
    expect(far.body.field).toBe('accessExpiresAt');
    const notADate = await share(accountId, owner, ['p@example.com'], { accessExpiresAt: 'next tuesday' });
    expect(notADate.status).toBe(400);
    expect(notADate.body.field).toBe('accessExpiresAt');
  });

  it('once a time-limited access ends, the scheduler removes its members (access_expired) and tells the owners', async () => {
    const { owner, accountId } = await account();
    const mike = await person();
    const ends = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const shared = await share(accountId, owner, [mike.email], { accessExpiresAt: ends });
    expect(shared.status).toBe(201);
    const accessId = shared.body.id as string;
    const joined = await accept(mike, shared.body.invitations[0].id, shared.body.position);

    // Support and the authorization check show the end date.
    const support = await e2e.call(
      'GET',
      `/v1/accounts/${accountId}/members/${mike.userId}/access?minPosition=${joined}`,
      {
        token: owner.token,
      },
    );
    expect(support.status).toBe(200);
    expect(support.body.accessExpiresAt).toBe(ends);
    const check = await e2e.call('POST', '/v1/authz/check', {
      token: mike.token,
      body: { userId: mike.userId, accountId, permission: 'vps:read', minPosition: joined },
    });
    expect(check.body).toMatchObject({ allowed: true, accessExpiresAt: ends });
    expect((await getAccess(accountId, accessId, owner, joined)).body).toMatchObject({
      status: 'active',
      accessExpiresAt: ends,
      endedAt: null,
    });

    // Two days pass on the scheduler's clock.
    travelledMs = 2 * 24 * 3600 * 1000;
    try {
      const removed = await eventually(
        () => removals(accountId),
        (r) => r.length > 0,
      );
      expect(removed).toEqual([
        { accountId, userId: mike.userId, email: mike.email, removedBy: owner.userId, reason: 'access_expired' },
      ]);
    } finally {
      travelledMs = 0;
    }
    const view = await eventually(
      () => getAccess(accountId, accessId, owner),
      (r) => r.body.recipients?.[0]?.status === 'ended',
    );
    expect(view.body).toMatchObject({ status: 'expired', accessExpiresAt: ends, endedAt: ends });
    expect(view.body.recipients[0]).toMatchObject({ status: 'ended', endedReason: 'expired' });
    const notices = await eventually(
      () => e2e.call('GET', '/v1/me/notifications', { token: owner.token }),
      (r) => listItems(r.body).some((n) => n['kind'] === 'access_expired'),
    );
    expect(listItems(notices.body).find((n) => n['kind'] === 'access_expired')?.['text']).toContain('Acme');
    const after = await e2e.call('POST', '/v1/authz/check', {
      token: mike.token,
      body: { userId: mike.userId, accountId, permission: 'vps:read' },
    });
    expect(after.body.allowed).toBe(false);
  });
});
