import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// The lifecycles of an account (MEM-21 to MEM-24), its billing accounts (MEM-25, MEM-26) and its
// custom roles (MEM-27), over HTTP against the embedded platform. Without SMTP_URL every e-mail is
// an .eml file under DATA_DIR/mail.
const e2e = useEmbeddedPlatform('account-lifecycle');

describe('account, billing account and custom role lifecycles over HTTP', () => {
  /** Olivia's account "Acme" (she is its root owner) with Mike as an administrator, who accepted a share. */
  const scenario = async () => {
    const run = randomUUID().slice(0, 8);
    const olivia = { userId: randomUUID(), email: `olivia-${run}@example.com` };
    const mike = { userId: randomUUID(), email: `mike-${run}@example.com` };
    const oliviaToken = await sessionToken(e2e.config.jwtSecret, olivia);
    const mikeToken = await sessionToken(e2e.config.jwtSecret, mike);
    const account = await e2e.call('POST', '/v1/accounts', { token: oliviaToken, body: { name: 'Acme' } });
    expect(account.status).toBe(201);
    const accountId: string = account.body.id;
    const shared = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: oliviaToken,
      body: {
        name: 'Ops',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [mike.email],
      },
    });
    expect(shared.status).toBe(201);
    const accepted = await e2e.call('POST', `/v1/invitations/${shared.body.invitations[0].id}/accept`, {
      token: mikeToken,
    });
    expect(accepted.status).toBe(200);
    // MemberJoined is a reaction to the acceptance: eventually there.
    await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: oliviaToken }),
      (r) => r.status === 200 && listItems(r.body).some((m) => m['userId'] === mike.userId),
    );
    return { accountId, olivia, mike, oliviaToken, mikeToken };
  };
  const mailsTo = (email: string): string[] => {
    let files: string[] = [];
    try {
      files = readdirSync(join(e2e.dataDir, 'mail'));
    } catch {
      return [];
    }
    return files
      .map((f) => readFileSync(join(e2e.dataDir, 'mail', f), 'utf8'))
      .filter((m) => m.toLowerCase().includes(`to: ${email.toLowerCase()}`));
  };
  const typesIn = async (stream: string) => (await e2e.platform.store.readStream(stream)).map((e) => e.type);

  it('an owner renames the account; its members see the new name', async () => {
    const s = await scenario();
    const renamed = await e2e.call('PATCH', `/v1/accounts/${s.accountId}`, {
      token: s.oliviaToken,
      body: { name: '  Acme Europe ' },
    });
    expect(renamed.status).toBe(200);
    const seen = await e2e.call('GET', `/v1/accounts/${s.accountId}?minPosition=${renamed.body.position}`, {
      token: s.mikeToken,
    });
    expect([seen.status, seen.body.name]).toEqual([200, 'Acme Europe']);
    // An administrator is no owner: renaming is refused.
    const byAdmin = await e2e.call('PATCH', `/v1/accounts/${s.accountId}`, {
      token: s.mikeToken,
      body: { name: 'Mine' },
    });
    expect(byAdmin.status).toBe(403);
    const empty = await e2e.call('PATCH', `/v1/accounts/${s.accountId}`, { token: s.oliviaToken, body: { name: ' ' } });
    expect([empty.status, empty.body.field]).toEqual([400, 'name']);
  });

  it('closing with a wrong name is refused and changes nothing; a non-root owner cannot close', async () => {
    const s = await scenario();
    const wrong = await e2e.call('POST', `/v1/accounts/${s.accountId}/close`, {
      token: s.oliviaToken,
      body: { confirmName: 'acme' },
    });
    expect([wrong.status, wrong.body.code, wrong.body.field]).toEqual([
      400,
      'account.confirm_name_mismatch',
      'confirmName',
    ]);
    const missing = await e2e.call('POST', `/v1/accounts/${s.accountId}/close`, { token: s.oliviaToken, body: {} });
    expect([missing.status, missing.body.field]).toEqual([400, 'confirmName']);

    const promoted = await e2e.call('PATCH', `/v1/accounts/${s.accountId}/members/${s.mike.userId}`, {
      token: s.oliviaToken,
      body: { role: 'owner' },
    });
    expect(promoted.status).toBe(200);
    const byOwner = await e2e.call('POST', `/v1/accounts/${s.accountId}/close`, {
      token: s.mikeToken,
      body: { confirmName: 'Acme' },
    });
    expect([byOwner.status, byOwner.body.code]).toEqual([403, 'account.root_only']);

    expect(await typesIn(`account-${s.accountId}`)).not.toContain('AccountClosed');
    const members = await e2e.call('GET', `/v1/accounts/${s.accountId}/members`, { token: s.oliviaToken });
    expect(
      listItems(members.body)
        .map((m) => m['userId'])
        .sort(),
    ).toEqual([s.olivia.userId, s.mike.userId].sort());
    expect((await e2e.call('GET', `/v1/accounts/${s.accountId}`, { token: s.mikeToken })).status).toBe(200);
  });

  it('closing revokes pending invitations and tokens, removes and e-mails the members, then answers 410', async () => {
    const s = await scenario();
    const path = `/v1/accounts/${s.accountId}`;
    const ann = `ann-${randomUUID().slice(0, 8)}@example.com`;
    const pending = await e2e.call('POST', `${path}/accesses`, {
      token: s.oliviaToken,
      body: { name: 'Later', type: 'delegate', scope: { type: 'global' }, role: 'accountant', recipients: [ann] },
    });
    expect(pending.status).toBe(201);
    const mikesToken = await e2e.call('POST', `${path}/tokens`, { token: s.mikeToken, body: { name: 'CI' } });
    const rootsToken = await e2e.call('POST', `${path}/tokens`, { token: s.oliviaToken, body: { name: 'Ops' } });
    expect([mikesToken.status, rootsToken.status]).toEqual([201, 201]);
    for (const t of [mikesToken, rootsToken])
      expect((await e2e.call('GET', `${path}/members`, { token: t.body.token })).status).toBe(200);

    const closed = await e2e.call('POST', `${path}/close`, { token: s.oliviaToken, body: { confirmName: ' Acme ' } });
    expect(closed.status).toBe(200);

    const events = await typesIn(`account-${s.accountId}`);
    expect(events.slice(-2)).toEqual(['MemberRemoved', 'AccountClosed']);
    const removal = (await e2e.platform.store.readStream(`account-${s.accountId}`)).find(
      (e) => e.type === 'MemberRemoved',
    )!;
    expect(removal.data).toMatchObject({ userId: s.mike.userId, removedBy: s.olivia.userId, reason: 'account_closed' });

    // The pending invitation is revoked by the invitation service's reaction.
    const revoked = await eventually(
      async () =>
        (await e2e.platform.store.readStream(`access-${s.accountId}`)).filter(
          (e) => e.type === 'InvitationRevoked' && (e.data as { reason: string }).reason === 'account_closed',
        ),
      (found) => found.length === 1,
    );
    expect(revoked.map((e) => (e.data as { email: string }).email)).toEqual([ann]);

    // Every token stops authenticating: the member's and the root owner's.
    for (const t of [mikesToken, rootsToken]) {
      const refused = await eventually(
        () => e2e.call('GET', `${path}/members`, { token: t.body.token }),
        (r) => r.status === 401,
      );
      expect(refused.status).toBe(401);
    }

    // The removed member is e-mailed that the account was closed.
    const [mail] = await eventually(
      async () => mailsTo(s.mike.email).filter((m) => m.includes('Acme was closed')),
      (mails) => mails.length > 0,
    );
    expect(mail).toContain('no longer a member');

    // Commands answer 410, in every context.
    const rename = await e2e.call('PATCH', path, { token: s.oliviaToken, body: { name: 'Again' } });
    expect([rename.status, rename.body.code]).toEqual([410, 'account.closed']);
    const share = await e2e.call('POST', `${path}/accesses`, {
      token: s.oliviaToken,
      body: { name: 'Late', type: 'delegate', scope: { type: 'global' }, role: 'accountant', recipients: [ann] },
    });
    expect([share.status, share.body.code]).toEqual([410, 'account.closed']);
    const issue = await e2e.call('POST', `${path}/tokens`, { token: s.oliviaToken, body: { name: 'Late' } });
    expect([issue.status, issue.body.code]).toEqual([410, 'account.closed']);
    const annToken = await sessionToken(e2e.config.jwtSecret, { email: ann });
    const annAccepts = await e2e.call('POST', `/v1/invitations/${pending.body.invitations[0].id}/accept`, {
      token: annToken,
    });
    expect([annAccepts.status, annAccepts.body.code]).toEqual([410, 'account.closed']);
    const again = await e2e.call('POST', `${path}/close`, { token: s.oliviaToken, body: { confirmName: 'Acme' } });
    expect(again.status).toBe(410);
    const ownName = await e2e.call('PUT', `${path}/display-name`, {
      token: s.oliviaToken,
      body: { displayName: 'Old' },
    });
    expect([ownName.status, ownName.body.code]).toEqual([410, 'account.closed']);

    // Reads still work for the root owner (read-only), who is the one member left; the account
    // itself is gone: 410 on GET, and out of everyone's account list.
    const members = await e2e.call('GET', `${path}/members?minPosition=${closed.body.position}`, {
      token: s.oliviaToken,
    });
    expect(members.status).toBe(200);
    expect(listItems(members.body).map((m) => m['userId'])).toEqual([s.olivia.userId]);
    const account = await e2e.call('GET', path, { token: s.oliviaToken });
    expect([account.status, account.body.code]).toEqual([410, 'account.closed']);
    const rootsList = await e2e.call('GET', '/v1/accounts', { token: s.oliviaToken });
    expect(listItems(rootsList.body).map((a) => a['id'])).not.toContain(s.accountId);
    const mikesList = await e2e.call('GET', '/v1/accounts', { token: s.mikeToken });
    expect(listItems(mikesList.body).map((a) => a['id'])).not.toContain(s.accountId);
    // The removed member is a stranger now: 404, as for any account that is not theirs.
    expect((await e2e.call('GET', path, { token: s.mikeToken })).status).toBe(404);
  });

  it('a billing account is renamed, and deleted only once nobody is restricted to it', async () => {
    const s = await scenario();
    const path = `/v1/accounts/${s.accountId}/billing-accounts`;
    const created = await e2e.call('POST', path, { token: s.oliviaToken, body: { name: 'EU' } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;

    const renamed = await e2e.call('PATCH', `${path}/${id}`, { token: s.oliviaToken, body: { name: 'EU invoices' } });
    expect(renamed.status).toBe(200);
    const seen = await e2e.call('GET', `${path}/${id}?minPosition=${renamed.body.position}`, { token: s.oliviaToken });
    expect(seen.body).toEqual({ id, name: 'EU invoices' });

    const restricted = await e2e.call('PATCH', `/v1/accounts/${s.accountId}/members/${s.mike.userId}`, {
      token: s.oliviaToken,
      body: { scope: { type: 'restricted', billingAccountId: id } },
    });
    expect(restricted.status).toBe(200);
    const inUse = await e2e.call('DELETE', `${path}/${id}`, { token: s.oliviaToken });
    expect([inUse.status, inUse.body.code]).toEqual([409, 'billing_account.in_use']);

    const global = await e2e.call('PATCH', `/v1/accounts/${s.accountId}/members/${s.mike.userId}`, {
      token: s.oliviaToken,
      body: { scope: { type: 'global' } },
    });
    expect(global.status).toBe(200);
    const deleted = await e2e.call('DELETE', `${path}/${id}`, { token: s.oliviaToken });
    expect(deleted.status).toBe(200);
    const gone = await e2e.call('GET', `${path}/${id}?minPosition=${deleted.body.position}`, { token: s.oliviaToken });
    expect(gone.status).toBe(404);
    expect(await typesIn(`account-${s.accountId}`)).toEqual(
      expect.arrayContaining(['BillingAccountRenamed', 'BillingAccountDeleted']),
    );
    const unknown = await e2e.call('DELETE', `${path}/${randomUUID()}`, { token: s.oliviaToken });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'billing_account.not_found']);
  });

  it('deleting a billing account revokes the invitations restricted to it; their access takes no one new', async () => {
    const s = await scenario();
    const billing = await e2e.call('POST', `/v1/accounts/${s.accountId}/billing-accounts`, {
      token: s.oliviaToken,
      body: { name: 'EU' },
    });
    expect(billing.status).toBe(201);
    const ann = { userId: randomUUID(), email: `ann-${randomUUID().slice(0, 8)}@example.com` };
    const shared = await e2e.call('POST', `/v1/accounts/${s.accountId}/accesses`, {
      token: s.oliviaToken,
      body: {
        name: 'EU invoices',
        type: 'delegate',
        scope: { type: 'restricted', billingAccountId: billing.body.id },
        role: 'accountant',
        recipients: [ann.email],
      },
    });
    expect(shared.status).toBe(201);
    const accessPath = `/v1/accounts/${s.accountId}/accesses/${shared.body.id}`;

    const deleted = await e2e.call('DELETE', `/v1/accounts/${s.accountId}/billing-accounts/${billing.body.id}`, {
      token: s.oliviaToken,
    });
    expect(deleted.status).toBe(200);
    const access = await eventually(
      () => e2e.call('GET', accessPath, { token: s.oliviaToken }),
      (r) => r.status === 200 && r.body.recipients[0].status === 'revoked',
    );
    expect(access.body.recipients).toEqual([expect.objectContaining({ email: ann.email, status: 'revoked' })]);
    const revoked = (await e2e.platform.store.readStream(`access-${s.accountId}`)).filter(
      (e) => e.type === 'InvitationRevoked',
    );
    expect(revoked.map((e) => e.data)).toEqual([
      expect.objectContaining({ email: ann.email, reason: 'billing_account_deleted', revokedBy: s.olivia.userId }),
    ]);

    const annToken = await sessionToken(e2e.config.jwtSecret, ann);
    const accept = await e2e.call('POST', `/v1/invitations/${shared.body.invitations[0].id}/accept`, {
      token: annToken,
    });
    expect([accept.status, accept.body.code]).toEqual([409, 'invitation.not_pending']);
    const added = await e2e.call('POST', `${accessPath}/recipients`, {
      token: s.oliviaToken,
      body: { recipients: [`zed-${randomUUID().slice(0, 8)}@example.com`] },
    });
    expect([added.status, added.body.code]).toEqual([409, 'access.billing_account_deleted']);
  });

  it('a custom role is deleted only once nobody holds it', async () => {
    const s = await scenario();
    const path = `/v1/accounts/${s.accountId}/roles`;
    const defined = await e2e.call('POST', path, {
      token: s.oliviaToken,
      body: { name: 'dns-admin', permissions: ['dns:manage'] },
    });
    expect(defined.status).toBe(201);
    const given = await e2e.call('PATCH', `/v1/accounts/${s.accountId}/members/${s.mike.userId}`, {
      token: s.oliviaToken,
      body: { role: 'dns-admin' },
    });
    expect(given.status).toBe(200);
    const held = await e2e.call('DELETE', `${path}/dns-admin`, { token: s.oliviaToken });
    expect([held.status, held.body.code]).toEqual([409, 'role.in_use']);

    const back = await e2e.call('PATCH', `/v1/accounts/${s.accountId}/members/${s.mike.userId}`, {
      token: s.oliviaToken,
      body: { role: 'administrator' },
    });
    expect(back.status).toBe(200);
    const deleted = await e2e.call('DELETE', `${path}/dns-admin`, { token: s.oliviaToken });
    expect(deleted.status).toBe(200);
    const gone = await e2e.call('GET', `${path}/dns-admin?minPosition=${deleted.body.position}`, {
      token: s.oliviaToken,
    });
    expect(gone.status).toBe(404);
    expect(await typesIn(`account-${s.accountId}`)).toContain('CustomRoleDeleted');
  });
});
