import { randomUUID } from 'node:crypto';
import { loadPublicKey, verifyAuditExport } from '@accord/audit';
import type { AuditLogEntry } from '@accord/contracts';
import { runSliceScenario, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 11: the account owner's audit log and its signed export, over HTTP on the embedded profile.
describe('the audit log and its export over HTTP', () => {
  const e2e = useEmbeddedPlatform('audit-log');

  /** Real traffic: create, share, accept (the slice), then two role changes and a member's own act. */
  async function busyAccount() {
    const slice = await runSliceScenario(e2e.platform.url, e2e.config.jwtSecret);
    const { accountId, mike, oliviaToken, mikeToken } = slice;
    for (const role of ['accountant', 'administrator']) {
      const changed = await e2e.call('PATCH', `/v1/accounts/${accountId}/members/${mike.userId}`, {
        token: oliviaToken,
        body: { role },
      });
      expect(changed.status).toBe(200);
    }
    const named = await e2e.call('PUT', `/v1/accounts/${accountId}/display-name`, {
      token: mikeToken,
      body: { displayName: 'Acme (client)' },
    });
    expect(named.status).toBe(200);
    return slice;
  }

  /** Every page from newest to oldest, following `next`; the pages' cursors too. */
  async function allPages(accountId: string, token: string, query: string) {
    const entries: AuditLogEntry[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const cursor: string = after === null ? '' : `&after=${after}`;
      const res = await e2e.call('GET', `/v1/accounts/${accountId}/audit-log?${query}${cursor}`, { token });
      expect(res.status).toBe(200);
      entries.push(...res.body.entries);
      after = res.body.next;
      pages += 1;
    } while (after !== null && pages < 100);
    return { entries, pages };
  }

  /** The account's events in the store, newest first (what the log must show, in that order). */
  async function storedNewestFirst(accountId: string) {
    return e2e.platform.store.readEvents({ accountId, direction: 'backward', limit: 1000 });
  }

  it('an owner pages through the whole log newest first: no duplicate, no gap, people by e-mail', async () => {
    const { accountId, olivia, mike, oliviaToken } = await busyAccount();
    const { entries, pages } = await allPages(accountId, oliviaToken, 'limit=2');
    // Reactions (e-mails) may add events while we page: they land above the first page. Below the
    // newest entry seen, the log must be exactly the store's events.
    const stored = await storedNewestFirst(accountId);
    const start = stored.findIndex((e) => e.id === entries[0]?.id);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(entries.map((e) => e.id)).toEqual(stored.slice(start).map((e) => e.id));
    expect(pages).toBe(Math.ceil(entries.length / 2));
    expect(entries[entries.length - 1]).toMatchObject({ type: 'AccountCreated' });

    const roleChanges = entries.filter((e) => e.type === 'RoleChanged');
    expect(roleChanges.map((e) => e.sentence)).toEqual([
      `${olivia.email} changed ${mike.email.toUpperCase()}'s role from accountant to administrator`,
      `${olivia.email} changed ${mike.email.toUpperCase()}'s role from administrator to accountant`,
    ]);
    expect(roleChanges[0]).toMatchObject({
      actor: { userId: olivia.userId, via: 'session' },
      data: expect.objectContaining({ userId: mike.userId, from: 'accountant', to: 'administrator' }),
    });
  });

  it('filters by type, actor and time, and pages the filtered log the same way', async () => {
    const { accountId, mike, oliviaToken } = await busyAccount();
    const roles = await allPages(accountId, oliviaToken, 'limit=1&type=RoleChanged');
    expect(roles.entries.map((e) => e.type)).toEqual(['RoleChanged', 'RoleChanged']);
    expect(roles.pages).toBe(2);

    const mikes = await allPages(accountId, oliviaToken, `actorId=${encodeURIComponent(mike.userId)}`);
    expect(mikes.entries.length).toBeGreaterThan(0);
    expect(mikes.entries.every((e) => e.actor.userId === mike.userId)).toBe(true);
    expect(mikes.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['AccountDisplayNameChanged']));

    // `from` is inclusive, `to` exclusive: the newer change's instant splits the two.
    const at = roles.entries[0]?.occurredAt ?? '';
    const since = await allPages(accountId, oliviaToken, `type=RoleChanged&from=${at}`);
    expect(since.entries.map((e) => e.id)).toEqual(roles.entries.filter((e) => e.occurredAt >= at).map((e) => e.id));
    const until = await allPages(accountId, oliviaToken, `type=RoleChanged&to=${at}`);
    expect(until.entries.map((e) => e.id)).toEqual(roles.entries.filter((e) => e.occurredAt < at).map((e) => e.id));
  });

  it('is for owners only: a member gets 403, a stranger 404, a bad cursor 400 naming after', async () => {
    const { accountId, mikeToken, oliviaToken } = await busyAccount();
    const member = await e2e.call('GET', `/v1/accounts/${accountId}/audit-log`, { token: mikeToken });
    expect(member.status).toBe(403);
    const stranger = await sessionToken(e2e.config.jwtSecret, { email: `eve-${randomUUID()}@example.com` });
    expect((await e2e.call('GET', `/v1/accounts/${accountId}/audit-log`, { token: stranger })).status).toBe(404);
    expect((await e2e.call('GET', `/v1/accounts/${accountId}/audit-log/export`, { token: mikeToken })).status).toBe(
      403,
    );
    const bad = await e2e.call('GET', `/v1/accounts/${accountId}/audit-log?after=xyz`, { token: oliviaToken });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('after');
  });

  it('the export downloads as signed JSON Lines that verify with the public key, every event in global order', async () => {
    const { accountId, oliviaToken } = await busyAccount();
    const res = await fetch(`${e2e.platform.url}/v1/accounts/${accountId}/audit-log/export`, {
      headers: { authorization: `Bearer ${oliviaToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="audit-${accountId}.jsonl"`);
    const text = await res.text();
    const publicKey = loadPublicKey(e2e.config.auditSigningKey.publicKeyPem);
    const verdict = await verifyAuditExport(linesOf(text), { publicKey });
    expect(verdict).toMatchObject({ ok: true, accountId });
    const exported = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id?: string; type: string });
    const stored = (await storedNewestFirst(accountId)).reverse();
    const events = exported.slice(0, -1).map((line) => line.id);
    expect(events).toEqual(stored.slice(0, events.length).map((e) => e.id));
    expect(verdict.ok && verdict.count).toBe(events.length);

    // A changed line is caught, naming it.
    const tampered = text.replace('"to":"administrator"', '"to":"owner"');
    expect(tampered).not.toBe(text);
    expect(await verifyAuditExport(linesOf(tampered), { publicKey })).toMatchObject({ ok: false });
  });
});

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) if (line !== '') yield line;
}
