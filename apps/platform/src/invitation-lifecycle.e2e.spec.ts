import { randomUUID } from 'node:crypto';
import { streams, type AccessSharedData, type InvitationResentData } from '@accord/contracts';
import { linkToken, newInvitationLink } from '@accord/invitation-links';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 3's invitation lifecycle end to end over HTTP (embedded profile). Link tokens are derived
// from the events exactly as the notification service derives them for its e-mails.
describe('invitation lifecycle over HTTP', () => {
  const e2e = useEmbeddedPlatform('lifecycle', { invitations: { expiryCheckMs: 100, dailyInvitationLimit: 20 } });
  const { config } = e2e;

  const person = () => {
    const id = randomUUID();
    return { userId: id, email: `p-${id.slice(0, 8)}@example.com` };
  };
  const tokenOf = (p: { userId: string; email: string }, emailVerified = true) =>
    sessionToken(config.jwtSecret, { ...p, emailVerified });

  /** An owner with an account, and a share to `recipients`. */
  const share = async (recipients: string[], body: Record<string, unknown> = {}) => {
    const owner = person();
    const ownerToken = await tokenOf(owner);
    const account = await e2e.call('POST', '/v1/accounts', { token: ownerToken, body: { name: 'Acme' } });
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: ownerToken,
      body: {
        name: 'Team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients,
        message: 'Hi <b>there</b>',
        ...body,
      },
    });
    expect(shared.status).toBe(201);
    return { owner, ownerToken, accountId: account.body.id as string, shared: shared.body };
  };

  /** The link token of an invitation's current link, as mailed. */
  const currentLink = async (accountId: string, invitationId: string): Promise<string> => {
    const events = await e2e.platform.store.readStream(streams.access(accountId));
    let nonce = '';
    for (const e of events) {
      if (e.type === 'AccessShared')
        nonce =
          (e.data as AccessSharedData).recipients.find((r) => r.invitationId === invitationId)?.link.nonce ?? nonce;
      if (e.type === 'InvitationResent' && (e.data as InvitationResentData).invitationId === invitationId)
        nonce = (e.data as InvitationResentData).link.nonce;
    }
    return linkToken(config.linkKey, nonce);
  };

  it('no event holds the link token, only its nonce and hash', async () => {
    const mike = person();
    const { accountId, shared } = await share([mike.email]);
    const token = await currentLink(accountId, shared.invitations[0].id);
    const events = await e2e.platform.store.readStream(streams.access(accountId));
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token.slice(4));
  });

  it('viewing the link shows account, inviter, role, message and expiry, and does not consume it', async () => {
    const mike = person();
    const { owner, accountId, shared } = await share([mike.email]);
    const token = await currentLink(accountId, shared.invitations[0].id);
    for (let i = 0; i < 3; i++) {
      const view = await e2e.call('GET', `/v1/invitations/by-token/${token}?minPosition=${shared.position}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        accountId,
        accountName: 'Acme',
        inviterEmail: owner.email,
        role: 'accountant',
        message: 'Hi <b>there</b>',
      });
      expect(view.body).not.toHaveProperty('name');
    }
    const accepted = await e2e.call('POST', '/v1/invitations/accept-token', {
      token: await tokenOf(mike),
      body: { token },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
  });

  it('resend issues a new link and kills the old one', async () => {
    const mike = person();
    const { accountId, ownerToken, shared } = await share([mike.email]);
    const invitationId = shared.invitations[0].id;
    const oldToken = await currentLink(accountId, invitationId);
    const resent = await e2e.call('POST', `/v1/accounts/${accountId}/invitations/${invitationId}/resend`, {
      token: ownerToken,
    });
    expect(resent.status).toBe(200);
    const newToken = await currentLink(accountId, invitationId);
    expect(newToken).not.toBe(oldToken);
    const old = await e2e.call('POST', '/v1/invitations/accept-token', {
      token: await tokenOf(mike),
      body: { token: oldToken },
    });
    expect(old.status).toBe(404);
    expect(old.body.code).toBe('invitation.link_invalid');
    expect(
      (await e2e.call('GET', `/v1/invitations/by-token/${oldToken}?minPosition=${resent.body.position}`)).status,
    ).toBe(404);
    const fresh = await e2e.call('POST', '/v1/invitations/accept-token', {
      token: await tokenOf(mike),
      body: { token: newToken },
    });
    expect(fresh.status).toBe(200);
  });

  it('revoke kills the link (seed 002), and the sharer sees it revoked', async () => {
    const mike = person();
    const { accountId, ownerToken, shared } = await share([mike.email]);
    const invitationId = shared.invitations[0].id;
    const token = await currentLink(accountId, invitationId);
    const revoked = await e2e.call('DELETE', `/v1/accounts/${accountId}/invitations/${invitationId}`, {
      token: ownerToken,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const attempt = await e2e.call('POST', '/v1/invitations/accept-token', {
      token: await tokenOf(mike),
      body: { token },
    });
    expect(attempt.status).toBe(404);
    expect(attempt.body.code).toBe('invitation.link_invalid');
    const list = await e2e.call('GET', `/v1/accounts/${accountId}/accesses?minPosition=${revoked.body.position}`, {
      token: ownerToken,
    });
    expect(listItems(list.body)[0].recipients[0].status).toBe('revoked');
  });

  it('unknown and malformed links get the same generic answer as revoked and replaced ones', async () => {
    const answers = await Promise.all(
      ['inv_' + 'A'.repeat(43), 'garbage', 'inv_short'].map((t) => e2e.call('GET', `/v1/invitations/by-token/${t}`)),
    );
    for (const answer of answers)
      expect({ status: answer.status, code: answer.body.code }).toEqual({
        status: 404,
        code: 'invitation.link_invalid',
      });
  });

  it('the recipient declines; the sharer sees it declined', async () => {
    const mike = person();
    const { accountId, ownerToken, shared } = await share([mike.email]);
    const declined = await e2e.call(
      'POST',
      `/v1/invitations/${shared.invitations[0].id}/decline?minPosition=${shared.position}`,
      { token: await tokenOf(mike) },
    );
    expect(declined.status).toBe(200);
    const list = await e2e.call('GET', `/v1/accounts/${accountId}/accesses?minPosition=${declined.body.position}`, {
      token: ownerToken,
    });
    expect(listItems(list.body)[0].recipients[0].status).toBe('declined');
  });

  it('accepting needs a verified e-mail: 403 saying why', async () => {
    const mike = person();
    const { shared } = await share([mike.email]);
    const attempt = await e2e.call(
      'POST',
      `/v1/invitations/${shared.invitations[0].id}/accept?minPosition=${shared.position}`,
      { token: await tokenOf(mike, false) },
    );
    expect(attempt.status).toBe(403);
    expect(attempt.body.code).toBe('email.unverified');
  });

  it('a second pending invitation for the same e-mail and account is refused with 409', async () => {
    const mike = person();
    const { accountId, ownerToken } = await share([mike.email]);
    const again = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: {
        name: 'Again',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [mike.email.toUpperCase()],
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invitation.pending_exists');
  });

  it('inviting an existing member is refused with 409', async () => {
    const { accountId, ownerToken, owner } = await share([person().email]);
    const self = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: {
        name: 'Me',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [owner.email],
      },
    });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('invitation.already_member');
  });

  it('two accepts of one invitation at the same moment leave exactly one member', async () => {
    const mike = person();
    const { accountId, ownerToken, shared } = await share([mike.email]);
    const token = await tokenOf(mike);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        e2e.call('POST', `/v1/invitations/${shared.invitations[0].id}/accept?minPosition=${shared.position}`, {
          token,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    const members = await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token: ownerToken }),
      (r) => listItems(r.body).length === 2,
    );
    expect(listItems<{ userId: string }>(members.body).filter((m) => m.userId === mike.userId)).toHaveLength(1);
    const accepted = (await e2e.platform.store.readStream(streams.access(accountId))).filter(
      (e) => e.type === 'InvitationAccepted',
    );
    expect(accepted).toHaveLength(1);
  });

  it('an invitation past its expiry becomes expired (an event) and cannot be accepted', async () => {
    const mike = person();
    const { accountId, ownerToken } = await share([mike.email]);
    // Travel in time the honest way: the stored share expired long ago (events are the truth).
    const streamId = streams.access(accountId);
    const [sharedEvent] = await e2e.platform.store.readStream(streamId);
    const ann = person();
    const past: AccessSharedData = {
      ...(sharedEvent!.data as AccessSharedData),
      accessId: randomUUID(),
      expiresAt: '2020-01-01T00:00:00.000Z',
      recipients: [
        {
          invitationId: randomUUID(),
          email: ann.email,
          link: (({ nonce, tokenHash }) => ({ nonce, tokenHash }))(newInvitationLink(e2e.config.linkKey)),
        },
      ],
    };
    await e2e.platform.store.append(
      streamId,
      [{ id: randomUUID(), type: 'AccessShared', data: past, metadata: { ...metadataOf(sharedEvent!) } }],
      sharedEvent!.streamPosition,
    );
    const expired = await eventually(
      async () => (await e2e.platform.store.readStream(streamId)).filter((e) => e.type === 'InvitationExpired'),
      (events) => events.length === 1,
    );
    expect(expired[0]!.data).toMatchObject({
      invitationId: past.recipients[0]!.invitationId,
      expiredAt: '2020-01-01T00:00:00.000Z',
    });
    const attempt = await e2e.call(
      'POST',
      `/v1/invitations/${past.recipients[0]!.invitationId}/accept?minPosition=${expired[0]!.globalPosition}`,
      { token: await tokenOf(ann) },
    );
    expect(attempt.status).toBe(409);
    const list = await e2e.call('GET', `/v1/accounts/${accountId}/accesses?minPosition=${expired[0]!.globalPosition}`, {
      token: ownerToken,
    });
    expect(listItems(list.body).find((a) => a['id'] === past.accessId)?.['recipients'][0].status).toBe('expired');
  });

  it('an owner sets the account’s link validity (1 hour to 30 days)', async () => {
    const { accountId, ownerToken } = await share([person().email]);
    expect(
      (
        await e2e.call('PUT', `/v1/accounts/${accountId}/invitation-settings`, {
          token: ownerToken,
          body: { expiryHours: 0 },
        })
      ).status,
    ).toBe(400);
    const set = await e2e.call('PUT', `/v1/accounts/${accountId}/invitation-settings`, {
      token: ownerToken,
      body: { expiryHours: 1 },
    });
    expect(set.status).toBe(200);
    const next = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: {
        name: 'Short',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: [person().email],
      },
    });
    const hours = (Date.parse(next.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(0.9);
    expect(hours).toBeLessThanOrEqual(1);
  });

  it('invitations per account per day are limited: 429 with Retry-After', async () => {
    const { accountId, ownerToken } = await share(Array.from({ length: 19 }, () => person().email));
    const over = await e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token: ownerToken,
      body: {
        name: 'More',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: [person().email, person().email],
      },
    });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a share restricted to one billing account makes a member restricted to it (seed 000 "Access Scope")', async () => {
    const owner = person();
    const ownerToken = await tokenOf(owner);
    const account = await e2e.call('POST', '/v1/accounts', { token: ownerToken, body: { name: 'Scoped' } });
    const billing = await e2e.call('POST', `/v1/accounts/${account.body.id}/billing-accounts`, {
      token: ownerToken,
      body: { name: 'EU' },
    });
    const body = { name: 'EU only', type: 'delegate', role: 'administrator' };
    const unknown = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: ownerToken,
      body: { ...body, scope: { type: 'restricted', billingAccountId: randomUUID() }, recipients: ['x@example.com'] },
    });
    expect(unknown.status).toBe(400);
    const mike = person();
    const shared = await e2e.call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: ownerToken,
      body: { ...body, scope: { type: 'restricted', billingAccountId: billing.body.id }, recipients: [mike.email] },
    });
    expect(shared.status).toBe(201);
    const mikeToken = await tokenOf(mike);
    await e2e.call(
      'POST',
      `/v1/invitations/${shared.body.invitations[0].id}/accept?minPosition=${shared.body.position}`,
      { token: mikeToken },
    );
    const mine = await eventually(
      () => e2e.call('GET', '/v1/accounts', { token: mikeToken }),
      (r) => listItems(r.body).length === 1,
    );
    expect(listItems(mine.body)[0].scope).toEqual({ type: 'restricted', billingAccountId: billing.body.id });
  });

  it('accept attempts per user per minute are limited: 429 with Retry-After', async () => {
    const guesser = await tokenOf(person());
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await e2e.call('POST', `/v1/invitations/${randomUUID()}/accept`, { token: guesser })).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

function metadataOf(event: {
  accountId: string | null;
  actor: any;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
}) {
  return {
    accountId: event.accountId,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    occurredAt: event.occurredAt,
  };
}
