import { randomUUID } from 'node:crypto';
import type { CommandMetadata, EventEnvelope } from '@accord/contracts';
import { createEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { createTestPglite } from '@accord/testing';
import { MembershipCommands } from '../membership.commands';
import { auditLogPage } from './audit-log';

// The audit log against a real (embedded) event store: what a page costs in events read.

describe('audit log pages (real event store)', () => {
  let sql: SqlClient;
  let store: EventStore;
  let commands: MembershipCommands;

  beforeAll(async () => {
    sql = await createTestPglite();
    store = await createEventStore(sql);
    commands = new MembershipCommands(store);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await sql?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  const as = (userId: string): CommandMetadata => ({
    actor: { userId, via: 'session' },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
  });

  /** An account, Mike in it, then `renames` changes of his display name (events that carry no e-mail). */
  async function accountWithHistory(renames: number) {
    const olivia = `auth0|${randomUUID()}`;
    const mike = `auth0|${randomUUID()}`;
    const { id: accountId } = await commands.createAccount(
      { name: 'Acme', owner: { userId: olivia, email: 'olivia@example.com' } },
      as(olivia),
    );
    await commands.addMember(
      {
        accountId,
        userId: mike,
        email: 'mike@example.com',
        role: 'accountant',
        scope: { type: 'global' },
        accessId: randomUUID(),
        invitationId: randomUUID(),
      },
      as(mike),
    );
    for (let i = 0; i < renames; i++)
      await commands.changeMember({ accountId, userId: mike, displayName: `Mike ${i}` }, as(olivia));
    return { accountId, events: 2 + renames };
  }

  /** Events the store handed out through `readEvents` while `work` ran. */
  async function eventsReadBy(work: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(store, 'readEvents');
    await work();
    const pages = await Promise.all(spy.mock.results.map((r) => r.value as Promise<EventEnvelope[]>));
    spy.mockRestore();
    return pages.reduce((sum, page) => sum + page.length, 0);
  }

  it('reads the page and the events that name people, not the whole history, and still names them by e-mail', async () => {
    const { accountId } = await accountWithHistory(40);
    let sentence = '';
    const read = await eventsReadBy(async () => {
      const page = await auditLogPage(store, { accountId, limit: 1 });
      sentence = page.entries[0]!.sentence;
    });
    // The page (one more than asked) and the two events that name Olivia and Mike with their e-mails.
    expect(read).toBe(2 + 2);
    expect(sentence).toContain('olivia@example.com');
    expect(sentence).toContain('mike@example.com');
  });

  it('pages through a history one entry at a time reading a bounded number of events per page', async () => {
    const { accountId, events } = await accountWithHistory(30);
    let pages = 0;
    const read = await eventsReadBy(async () => {
      let before: number | undefined;
      do {
        const page = await auditLogPage(store, { accountId, limit: 1, ...(before !== undefined ? { before } : {}) });
        pages += 1;
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
    });
    expect(pages).toBe(events);
    expect(read).toBeLessThanOrEqual(pages * (2 + 2));
  });
});
