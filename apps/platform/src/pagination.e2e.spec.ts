import { randomUUID } from 'node:crypto';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

type Item = Record<string, any>;

// Cursor pagination on every list over HTTP (embedded profile): `?limit=` and `?cursor=`, a page
// `{ items, next }` and a `Link: <…>; rel="next"` header; keyset pages that never shift when rows
// are written between fetches; and the member list's filters, invitees included (EDGE-6, EDGE-7, MEM-28).
const e2e = useEmbeddedPlatform('pagination');

interface Person {
  readonly userId: string;
  readonly email: string;
  readonly token: string;
}

describe('cursor pagination on every list', () => {
  const run = randomUUID().slice(0, 8);
  const person = async (name: string): Promise<Person> => {
    const who = { userId: randomUUID(), email: `${name}-${run}@example.com` };
    return { ...who, token: await sessionToken(e2e.config.jwtSecret, who) };
  };

  /** A command's answer (a 2xx, else the spec fails naming the route), with its `position`. */
  const send = async (method: string, path: string, token: string, body?: unknown): Promise<Item> => {
    const res = await e2e.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Item;
  };
  const post = (path: string, token: string, body?: unknown) => send('POST', path, token, body);

  /**
   * Every page of a list, `limit` at a time, following each page's `Link` header (which must name
   * the same path and query with the page's `next` as `cursor`) until a page has no `next`.
   */
  const walk = async (path: string, token: string, limit = 2) => {
    const pages: Item[][] = [];
    let url: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
    while (url !== null) {
      const res: { status: number; body: any; headers: Headers } = await e2e.call('GET', url, { token });
      expect([url, res.status]).toEqual([url, 200]);
      const { items, next } = res.body as { items: Item[]; next: string | null };
      expect(items.length).toBeLessThanOrEqual(limit);
      pages.push(items);
      const link: string | null = res.headers.get('link');
      if (next === null) {
        expect(link).toBeNull();
        url = null;
      } else {
        const target: string | undefined = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
        expect(target).toBeDefined();
        const asked = new URL(url, 'http://x');
        const linked = new URL(target!, 'http://x');
        expect(linked.pathname).toBe(asked.pathname);
        expect(linked.searchParams.get('cursor')).toBe(next);
        asked.searchParams.set('cursor', next);
        expect(linked.searchParams.toString()).toBe(asked.searchParams.toString());
        url = target!;
      }
      expect(pages.length).toBeLessThan(50);
    }
    return { pages, items: pages.flat() };
  };

  /** The ids of a walk, each expected exactly once. */
  const once = (items: readonly Item[], key: string): string[] => {
    const ids = items.map((i) => String(i[key]));
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  };

  /** The whole list in one page (for waiting on reactions). */
  const all = (path: string, token: string) =>
    e2e.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200`, { token });

  let olivia: Person;
  let mike: Person;
  let accountId: string;
  let otherAccounts: string[];
  let joined: Person[];
  let invited: Person[];
  let position = 0;
  const base = () => `/v1/accounts/${accountId}`;
  const share = async (account: string, recipients: string[], role: string, name = 'Team') => {
    const shared = await post(`/v1/accounts/${account}/accesses`, olivia.token, {
      name,
      type: 'delegate',
      scope: { type: 'global' },
      role,
      recipients,
    });
    position = Math.max(position, shared['position']);
    return shared as { id: string; position: number; invitations: { id: string; email: string }[] };
  };

  beforeAll(async () => {
    olivia = await person('olivia');
    mike = await person('mike');
    const [ann, bob, cid, dan, eve] = await Promise.all(['ann', 'bob', 'cid', 'dan', 'eve'].map(person));
    joined = [ann!, bob!, cid!];
    invited = [dan!, eve!];
    accountId = (await post('/v1/accounts', olivia.token, { name: 'Acme' }))['id'];
    otherAccounts = [];
    for (let i = 0; i < 4; i++)
      otherAccounts.push((await post('/v1/accounts', olivia.token, { name: `Acme ${i}` }))['id']);
    for (let i = 0; i < 5; i++) {
      position = (await post(`${base()}/billing-accounts`, olivia.token, { name: `Billing ${i}` }))['position'];
      position = (await post(`${base()}/roles`, olivia.token, { name: `role-${i}`, permissions: ['servers:read'] }))[
        'position'
      ];
      position = (await post(`${base()}/tokens`, olivia.token, { name: `Token ${i}` }))['position'];
    }
    // Three accesses: ann and bob as administrators, cid as accountant, dan and eve read-only.
    const first = await share(accountId, [ann!.email, bob!.email], 'administrator', 'First');
    const second = await share(accountId, [cid!.email], 'accountant', 'Second');
    await share(accountId, [dan!.email, eve!.email], 'read-only', 'Third');
    for (const [who, invitation] of [
      [ann!, first.invitations[0]!],
      [bob!, first.invitations[1]!],
      [cid!, second.invitations[0]!],
    ] as const)
      await post(`/v1/invitations/${invitation.id}/accept`, who.token);
    // Five invitations (and five notices) for Mike, one from each account.
    for (const account of [accountId, ...otherAccounts]) await share(account, [mike.email], 'read-only');
    await eventually(
      () => all(`${base()}/members`, olivia.token),
      (r) => listItems(r.body).length === 4,
    );
    await eventually(
      () => all('/v1/me/notifications', mike.token),
      (r) => listItems(r.body).length === 5,
    );
  });

  it('walks every list two at a time to its end, each item exactly once, following the Link header', async () => {
    const q = `?minPosition=${position}`;
    const cases: [string, string, string, number][] = [
      ['/v1/accounts', olivia.token, 'id', 5],
      [`${base()}/members`, olivia.token, 'userId', 4],
      [`${base()}/members?status=invited`, olivia.token, 'invitationId', 3],
      [`${base()}/accesses`, olivia.token, 'id', 4],
      ['/v1/me/invitations', mike.token, 'id', 5],
      [`${base()}/tokens`, olivia.token, 'id', 5],
      ['/v1/me/notifications', mike.token, 'id', 5],
      [`${base()}/billing-accounts`, olivia.token, 'id', 5],
      [`${base()}/roles`, olivia.token, 'name', 5],
    ];
    for (const [path, token, key, count] of cases) {
      const whole = listItems((await all(`${path}${path.includes('?') ? '&' : '?'}${q.slice(1)}`, token)).body);
      const { items, pages } = await walk(`${path}${path.includes('?') ? '&' : '?'}${q.slice(1)}`, token);
      expect([path, once(items, key).length]).toEqual([path, count]);
      // The pages, in order, are the list read in one go.
      expect(items).toEqual(whole);
      expect(pages.length).toBe(Math.ceil(count / 2));
    }
    // Members then invitees: every member and every pending invitation, once.
    const everyone = await walk(`${base()}/members?status=all`, olivia.token);
    expect(everyone.items.map((i) => i['status'])).toEqual([
      'active',
      'active',
      'active',
      'active',
      'invited',
      'invited',
      'invited',
    ]);
    expect(new Set(everyone.items.map((i) => i['userId'] ?? i['invitationId'])).size).toBe(7);
  });

  it('stays stable when rows are written between page fetches: nothing listed is skipped or repeated', async () => {
    // Tokens (oldest first): a token issued after the first page sorts after it, and is shown.
    const tokens = `${base()}/tokens?limit=2`;
    const before = once(listItems((await all(`${base()}/tokens`, olivia.token)).body), 'id');
    const first = await e2e.call('GET', tokens, { token: olivia.token });
    const issued = await post(`${base()}/tokens`, olivia.token, { name: 'Between pages' });
    const rest = await walk(
      `${base()}/tokens?minPosition=${issued['position']}&cursor=${first.body.next}`,
      olivia.token,
    );
    expect(once([...first.body.items, ...rest.items], 'id')).toEqual([...before, issued['id']]);

    // Custom roles (by name): one named before the cursor is not shown and shifts nothing; one after is.
    const roles = `${base()}/roles?limit=2`;
    const names = once(listItems((await all(`${base()}/roles`, olivia.token)).body), 'name');
    const page = await e2e.call('GET', roles, { token: olivia.token });
    expect(page.body.items.map((r: Item) => r['name'])).toEqual(names.slice(0, 2));
    await post(`${base()}/roles`, olivia.token, { name: 'aaa-first', permissions: ['servers:read'] });
    const last = await post(`${base()}/roles`, olivia.token, { name: 'zzz-last', permissions: ['servers:read'] });
    const after = await walk(`${base()}/roles?minPosition=${last['position']}&cursor=${page.body.next}`, olivia.token);
    expect(once([...page.body.items, ...after.items], 'name')).toEqual([...names, 'zzz-last']);

    // Members: someone who joins after the first page shows at the end; nobody moves.
    const members = once(listItems((await all(`${base()}/members`, olivia.token)).body), 'userId');
    const firstMembers = await e2e.call('GET', `${base()}/members?limit=2`, { token: olivia.token });
    const newcomer = await person('fay');
    const shared = await share(accountId, [newcomer.email], 'read-only', 'Late');
    await post(`/v1/invitations/${shared.invitations[0]!.id}/accept`, newcomer.token);
    await eventually(
      () => all(`${base()}/members`, olivia.token),
      (r) => listItems(r.body).some((m) => m['userId'] === newcomer.userId),
    );
    const moreMembers = await walk(`${base()}/members?cursor=${firstMembers.body.next}`, olivia.token);
    expect(once([...firstMembers.body.items, ...moreMembers.items], 'userId')).toEqual([...members, newcomer.userId]);

    // Mike's invitations (newest first): one sent after the first page sorts before the cursor,
    // so the rest of this walk neither repeats nor skips any invitation it was listing.
    const mine = once(listItems((await all('/v1/me/invitations', mike.token)).body), 'id');
    const firstMine = await e2e.call('GET', '/v1/me/invitations?limit=2', { token: mike.token });
    const laterAccount = (await post('/v1/accounts', olivia.token, { name: 'Later' }))['id'];
    const sentLater = await share(laterAccount, [mike.email], 'accountant', 'Later');
    const restMine = await walk(
      `/v1/me/invitations?minPosition=${sentLater.position}&cursor=${firstMine.body.next}`,
      mike.token,
    );
    expect(once([...firstMine.body.items, ...restMine.items], 'id')).toEqual(mine);
    const fresh = listItems((await all(`/v1/me/invitations?minPosition=${sentLater.position}`, mike.token)).body);
    expect(fresh[0]!['id']).toBe(sentLater.invitations[0]!.id);
  });

  it('filters the members by role, status and q (a prefix in any case; % and _ taken literally)', async () => {
    const [ann, bob, cid] = joined as [Person, Person, Person];
    const [dan, eve] = invited as [Person, Person];
    for (const [who, displayName] of [
      [ann, 'x%y'],
      [bob, 'xay'],
      [cid, 'x_z'],
    ] as const)
      position = (await send('PATCH', `${base()}/members/${who.userId}`, olivia.token, { displayName }))['position'];
    const members = async (query: string) => {
      const res = await e2e.call('GET', `${base()}/members?minPosition=${position}&${query}`, { token: olivia.token });
      expect([query, res.status]).toEqual([query, 200]);
      return listItems(res.body);
    };
    const ids = (items: Item[]) => items.map((i) => i['userId'] ?? i['email']);

    expect(ids(await members('role=owner'))).toEqual([olivia.userId]);
    expect(ids(await members('role=accountant'))).toEqual([cid.userId]);
    // Joined one after the other; compared as sets, since two joins may share an instant.
    expect(ids(await members('role=administrator')).sort()).toEqual([ann.userId, bob.userId].sort());
    expect(ids(await members(`q=${encodeURIComponent(bob.email.slice(0, 8).toUpperCase())}`))).toEqual([bob.userId]);
    // A wildcard would match all three names; the prefix matches only the name that has it.
    expect(ids(await members(`q=${encodeURIComponent('x%')}`))).toEqual([ann.userId]);
    expect(ids(await members(`q=${encodeURIComponent('X_')}`))).toEqual([cid.userId]);
    expect(ids(await members(`q=${encodeURIComponent('x')}`)).sort()).toEqual(
      [ann.userId, bob.userId, cid.userId].sort(),
    );
    expect(await members(`q=${encodeURIComponent('%')}`)).toEqual([]);

    // The people invited and not yet answered: e-mail, role, scope, status, invitation and expiry.
    const invitees = await members('status=invited&role=read-only');
    // One access invited both: they share its instant and follow each other in invitation id order.
    expect(
      invitees
        .map((i) => i['email'])
        .filter((e) => e !== mike.email)
        .sort(),
    ).toEqual([dan.email, eve.email].sort());
    for (const invitee of invitees) {
      expect(invitee).toEqual({
        email: expect.any(String),
        role: 'read-only',
        scope: { type: 'global' },
        status: 'invited',
        invitationId: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(Date.parse(invitee['expiresAt'])).toBeGreaterThan(Date.now());
    }
    expect(await members('status=invited&role=administrator')).toEqual([]);
    expect(ids(await members(`status=invited&q=${encodeURIComponent(dan.email.slice(0, 7))}`))).toEqual([dan.email]);
    // Both: members first, then the invitees; the filters apply to each.
    const both = await members(`status=all&q=${encodeURIComponent('D')}`);
    expect(both.map((i) => [i['status'], i['email']])).toEqual([['invited', dan.email]]);
    const readOnly = await members('status=all&role=read-only');
    expect(readOnly.map((i) => i['status'])).toEqual([
      ...readOnly.filter((i) => i['status'] === 'active').map(() => 'active'),
      ...readOnly.filter((i) => i['status'] === 'invited').map(() => 'invited'),
    ]);
    expect(readOnly.some((i) => i['email'] === eve.email && i['status'] === 'invited')).toBe(true);
  });

  it('filters tokens by status, invitations by status and notifications by unread', async () => {
    const revoked = await post(`${base()}/tokens`, olivia.token, { name: 'Revoke me' });
    const done = await send('DELETE', `${base()}/tokens/${revoked['id']}`, olivia.token);
    const tokens = async (status: string) =>
      listItems((await all(`${base()}/tokens?status=${status}&minPosition=${done['position']}`, olivia.token)).body);
    expect((await tokens('revoked')).map((t) => t['id'])).toEqual([revoked['id']]);
    expect((await tokens('active')).map((t) => t['id'])).not.toContain(revoked['id']);
    expect(await tokens('expired')).toEqual([]);

    const pending = listItems((await all('/v1/me/invitations?status=pending', mike.token)).body);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((i) => i['status'] === 'pending')).toBe(true);
    const decline = await post(`/v1/invitations/${pending[0]!['id']}/decline`, mike.token);
    const declinedPath = `/v1/me/invitations?status=declined&minPosition=${decline['position']}`;
    const declined = listItems((await all(declinedPath, mike.token)).body);
    expect(declined.map((i) => i['id'])).toEqual([pending[0]!['id']]);

    const inbox = (await all('/v1/me/notifications', mike.token)).body;
    const read = await post(`/v1/me/notifications/${inbox.items[0].id}/read`, mike.token);
    expect(read).toEqual({ read: true });
    const unread = (await all('/v1/me/notifications?unread=true', mike.token)).body;
    expect(unread.items.map((n: Item) => n['id'])).not.toContain(inbox.items[0].id);
    expect(unread.items.every((n: Item) => n['read'] === false)).toBe(true);
    // `unread` counts the whole inbox: here, exactly the unread ones listed.
    expect(unread.unread).toBe(unread.items.length);
    expect(unread.unread).toBeLessThan(listItems(inbox).length);
  });

  it('refuses a bad limit, cursor or filter with a 400 naming the field', async () => {
    const members = `${base()}/members`;
    const tokenCursor = (await e2e.call('GET', `${base()}/tokens?limit=1`, { token: olivia.token })).body.next;
    const memberCursor = (await e2e.call('GET', `${members}?limit=1`, { token: olivia.token })).body.next;
    expect(memberCursor).toEqual(expect.any(String));
    const refusals: [string, string][] = [
      [`${members}?limit=0`, 'limit'],
      [`${members}?limit=201`, 'limit'],
      [`${members}?limit=ten`, 'limit'],
      [`${members}?cursor=not-a-cursor`, 'cursor'],
      [`${members}?cursor=${tokenCursor}`, 'cursor'],
      [`${members}?status=invited&cursor=${memberCursor}`, 'cursor'],
      [`${members}?cursor=${Buffer.from('members:["yesterday","x"]').toString('base64url')}`, 'cursor'],
      [`${members}?status=gone`, 'status'],
      [`${members}?role=Owner`, 'role'],
      [`${base()}/tokens?status=stolen`, 'status'],
      ['/v1/me/invitations?status=maybe', 'status'],
      ['/v1/me/notifications?unread=yes', 'unread'],
    ];
    for (const [url, field] of refusals) {
      const token = url.startsWith('/v1/me') ? mike.token : olivia.token;
      const res = await e2e.call('GET', url, { token });
      expect([url, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([url, 400, [field]]);
    }
    expect((await e2e.call('GET', `${members}?limit=200`, { token: olivia.token })).status).toBe(200);
    expect((await e2e.call('GET', `${members}?limit=1`, { token: olivia.token })).status).toBe(200);
  });
});
