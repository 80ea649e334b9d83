import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailerReactor } from '@accord/notification-service';
import { eventually, runSliceScenario, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 3's notifications in the embedded profile: without SMTP_URL every e-mail is an .eml file
// under DATA_DIR/mail, and the in-app inbox serves the notices.
describe('notifications (embedded: .eml files and the inbox)', () => {
  const e2e = useEmbeddedPlatform('notify');
  const { config, dataDir } = e2e;

  const mailsTo = (email: string) =>
    readdirSync(join(dataDir, 'mail'))
      .map((f) =>
        readFileSync(join(dataDir, 'mail', f), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '='),
      )
      .filter((m) => m.toLowerCase().includes(`to: ${email.toLowerCase()}`));

  it('the invitation e-mail is an .eml file holding the link', async () => {
    const { mike } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const [mail] = await eventually(
      async () => mailsTo(mike.email),
      (m) => m.length >= 1,
    );
    expect(mail).toContain('Subject: Invitation to Acme');
    // The link opens the console's invitation page, the token in the fragment (no server sees it).
    expect(mail).toMatch(/\/#\/invitations\/inv_[A-Za-z0-9_-]{43}/);
  });

  it('the recipient’s inbox shows the new share, newest first, with the unread count; only they can mark it read', async () => {
    const { mikeToken, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const inbox = await eventually(
      () => e2e.call('GET', '/v1/me/notifications', { token: mikeToken }),
      (r) => r.body.items?.length === 1,
    );
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'access_shared', read: false });
    expect(inbox.body.items[0].text).toContain('Acme');
    const id = inbox.body.items[0].id;
    expect((await e2e.call('POST', `/v1/me/notifications/${id}/read`, { token: oliviaToken })).status).toBe(404);
    expect((await e2e.call('POST', `/v1/me/notifications/${id}/read`, { token: mikeToken })).status).toBe(200);
    expect((await e2e.call('GET', '/v1/me/notifications', { token: mikeToken })).body.unread).toBe(0);
  });

  it('read-all marks the caller’s whole inbox read at once, and nobody else’s', async () => {
    const { mikeToken, oliviaToken } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    await eventually(
      () => e2e.call('GET', '/v1/me/notifications', { token: mikeToken }),
      (r) => r.body.unread === 1,
    );
    const oliviaUnread = (await e2e.call('GET', '/v1/me/notifications', { token: oliviaToken })).body.unread;
    const marked = await e2e.call('POST', '/v1/me/notifications/read-all', { token: mikeToken });
    expect([marked.status, marked.body]).toEqual([200, { marked: 1 }]);
    const inbox = await e2e.call('GET', '/v1/me/notifications', { token: mikeToken });
    expect(inbox.body.unread).toBe(0);
    expect(inbox.body.items.every((n: { read: boolean }) => n.read)).toBe(true);
    expect((await e2e.call('POST', '/v1/me/notifications/read-all', { token: mikeToken })).body).toEqual({ marked: 0 });
    expect((await e2e.call('GET', '/v1/me/notifications', { token: oliviaToken })).body.unread).toBe(oliviaUnread);
  });

  it('a role change mails the member; leaving mails the owners; removal mails the removed person', async () => {
    const first = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    await e2e.call('PATCH', `/v1/accounts/${first.accountId}/members/${first.mike.userId}`, {
      token: first.oliviaToken,
      body: { role: 'accountant' },
    });
    await eventually(
      async () => mailsTo(first.mike.email).filter((m) => m.includes('role in Acme changed')),
      (m) => m.length === 1,
    );
    expect(mailsTo(first.mike.email).filter((m) => m.includes('role in Acme changed'))).toHaveLength(1);
    await e2e.call('POST', `/v1/accounts/${first.accountId}/leave`, { token: first.mikeToken });
    await eventually(
      async () => mailsTo(first.olivia.email).filter((m) => m.toLowerCase().includes(`${first.mike.email} left acme`)),
      (m) => m.length === 1,
    );
    expect(
      mailsTo(first.olivia.email).filter((m) => m.toLowerCase().includes(`${first.mike.email} left acme`)),
    ).toHaveLength(1);

    const second = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    await e2e.call('DELETE', `/v1/accounts/${second.accountId}/members/${second.mike.userId}`, {
      token: second.oliviaToken,
    });
    await eventually(
      async () => mailsTo(second.mike.email).filter((m) => m.includes('You were removed from Acme')),
      (m) => m.length === 1,
    );
    expect(mailsTo(second.mike.email).filter((m) => m.includes('You were removed from Acme'))).toHaveLength(1);
    const inbox = await eventually(
      async () => e2e.call('GET', '/v1/me/notifications', { token: await sessionToken(config.jwtSecret, second.mike) }),
      (r) => r.body.items?.some((n: { kind: string }) => n.kind === 'member_removed'),
    );
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toContain('member_removed');
  }, 30_000);

  it('each event notifies at most once, even redelivered', async () => {
    const { mike, accountId } = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    await eventually(
      async () => mailsTo(mike.email),
      (m) => m.length === 1,
    );
    const shared = (await e2e.platform.store.readStream(`access-${accountId}`)).find((e) => e.type === 'AccessShared')!;
    const reactor = e2e.platform.services.get(MailerReactor);
    await reactor.react(shared);
    await reactor.react(shared);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailsTo(mike.email)).toHaveLength(1);
    const outcomes = (await e2e.platform.store.readAll(0, 100_000)).filter(
      (e) => e.type === 'NotificationSent' && (e.data as { to: string }).to === mike.email.toUpperCase(),
    );
    expect(outcomes).toHaveLength(1);
  });
});
