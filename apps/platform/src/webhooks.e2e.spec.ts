import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookReactor } from '@accord/notification-service';
import { eventually, listItems, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Webhooks end to end over HTTP (embedded profile, rules NOT-11 … NOT-16): a real receiver on
// loopback gets the account's events, signed per Standard Webhooks; a failing one is retried and,
// after 24 hours, its endpoint disabled. Time is a clock the spec advances, never a sleep of hours.

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('webhooks over HTTP', () => {
  // The platform's clock: real time plus what the spec skips ahead.
  let skipped = 0;
  const e2e = useEmbeddedPlatform('webhooks', {
    webhooks: {
      clock: () => new Date(Date.now() + skipped),
      pollMs: 20,
      timeoutMs: 2_000,
      // A failed delivery waits a minute (of the spec's clock): nothing retries until the spec says so.
      retry: { baseMs: MINUTE, maxMs: HOUR, giveUpAfterMs: 24 * HOUR },
    },
  });
  const { config } = e2e;

  // The receiver: `/ok/…` answers 200, `/fail/…` answers 500, and every request is kept.
  const received: Received[] = [];
  let receiver: Server;
  let receiverUrl = '';
  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const ok = path.startsWith('/ok/');
        response.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'thanks' : 'boom: not today');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  const at = (path: string) => received.filter((r) => r.path === path);
  /** Waits long enough for the worker (polling every 20 ms) to have sent anything it was going to. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  const person = (name: string) => {
    const run = randomUUID().slice(0, 8);
    return { userId: `auth0|${name}-${run}`, email: `${name}-${run}@example.com` };
  };
  type Person = ReturnType<typeof person>;
  const tokenOf = (p: Person) => sessionToken(config.jwtSecret, { ...p, emailVerified: true });

  const ownAccount = async () => {
    const owner = person('olivia');
    const token = await tokenOf(owner);
    const created = await e2e.call('POST', '/v1/accounts', { token, body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    return { accountId: created.body.id as string, owner, token };
  };
  const register = (accountId: string, token: string, path: string, eventTypes: string[]) =>
    e2e.call('POST', `/v1/accounts/${accountId}/webhooks`, {
      token,
      body: { url: `${receiverUrl}${path}`, eventTypes },
    });
  const setPolicy = (accountId: string, token: string, maxLifetimeDays: number) =>
    e2e.call('PUT', `/v1/accounts/${accountId}/token-policy`, { token, body: { maxLifetimeDays } });
  const share = (accountId: string, token: string, email: string, role = 'accountant') =>
    e2e.call('POST', `/v1/accounts/${accountId}/accesses`, {
      token,
      body: { name: 'Team', type: 'delegate', scope: { type: 'global' }, role, recipients: [email] },
    });
  const deliveries = (accountId: string, webhookId: string, token: string) =>
    e2e.call('GET', `/v1/accounts/${accountId}/webhooks/${webhookId}/deliveries`, { token });

  /** The receiver's own check, written from the specification (not Accord's code). */
  const signatureOf = (secret: string, id: string, timestamp: string, body: string) =>
    `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`${id}.${timestamp}.${body}`)
      .digest('base64')}`;

  it('registers an endpoint: the secret is in the answer once, never in the list or an event (NOT-12)', async () => {
    const { accountId, token } = await ownAccount();
    const registered = await register(accountId, token, '/ok/register', ['MemberJoined', 'AccessShared']);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      url: `${receiverUrl}/ok/register`,
      eventTypes: ['MemberJoined', 'AccessShared'],
      status: 'active',
      disabledAt: null,
    });
    const secret: string = registered.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(registered.body.secretPrefix).toBe(secret.slice(0, 10));

    const listed = await e2e.call('GET', `/v1/accounts/${accountId}/webhooks?minPosition=${registered.body.position}`, {
      token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.next).toBeNull();
    expect(listed.headers.get('link')).toBeNull();
    expect(listItems(listed.body)).toEqual([
      {
        id: registered.body.id,
        url: `${receiverUrl}/ok/register`,
        eventTypes: ['MemberJoined', 'AccessShared'],
        status: 'active',
        secretPrefix: secret.slice(0, 10),
        createdAt: registered.body.createdAt,
        disabledAt: null,
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(10));
    const events = await e2e.platform.store.readStream(`webhook-${accountId}`);
    expect(events.map((e) => e.type)).toEqual(['WebhookEndpointRegistered']);
    expect(JSON.stringify(events)).not.toContain(secret.slice(10));
  });

  it('lists a page at a time, with a Link to the next page', async () => {
    const { accountId, token } = await ownAccount();
    for (const path of ['/ok/page-1', '/ok/page-2', '/ok/page-3'])
      expect((await register(accountId, token, path, ['MemberJoined'])).status).toBe(201);
    const first = await e2e.call('GET', `/v1/accounts/${accountId}/webhooks?limit=2`, { token });
    expect(listItems(first.body).map((w) => w['url'])).toEqual([
      `${receiverUrl}/ok/page-1`,
      `${receiverUrl}/ok/page-2`,
    ]);
    expect(first.headers.get('link')).toContain('rel="next"');
    const second = await e2e.call('GET', `/v1/accounts/${accountId}/webhooks?limit=2&cursor=${first.body.next}`, {
      token,
    });
    expect(listItems(second.body).map((w) => w['url'])).toEqual([`${receiverUrl}/ok/page-3`]);
    expect(second.body.next).toBeNull();
  });

  describe('deliveries', () => {
    let accountId = '';
    let token = '';
    let secret = '';
    let webhookId = '';

    it('an event of the account is delivered, signed per Standard Webhooks, without its secrets (NOT-13, NOT-14)', async () => {
      ({ accountId, token } = await ownAccount());
      const registered = await register(accountId, token, '/ok/events', ['AccessShared']);
      ({ secret, id: webhookId } = registered.body);
      // Not delivered: a type it did not subscribe to, and the same type in another account.
      expect((await setPolicy(accountId, token, 30)).status).toBe(200);
      const other = await ownAccount();
      await register(other.accountId, other.token, '/ok/other-account', ['AccessShared']);
      expect((await share(other.accountId, other.token, 'someone@example.com')).status).toBe(201);

      const shared = await share(accountId, token, 'mike@example.com');
      expect(shared.status).toBe(201);
      await eventually(
        async () => at('/ok/events'),
        (requests) => requests.length > 0,
      );
      await settle();
      expect(at('/ok/events')).toHaveLength(1);
      const [delivery] = at('/ok/events');
      const event = (await e2e.platform.store.readStream(`access-${accountId}`)).find(
        (e) => e.type === 'AccessShared',
      )!;
      expect(delivery!.headers['webhook-id']).toBe(event.id);
      expect(delivery!.headers['content-type']).toBe('application/json');
      const timestamp = delivery!.headers['webhook-timestamp'] as string;
      expect(Math.abs(Number(timestamp) - (Date.now() + skipped) / 1000)).toBeLessThan(5);
      expect(delivery!.headers['webhook-signature']).toBe(signatureOf(secret, event.id, timestamp, delivery!.body));

      const payload = JSON.parse(delivery!.body);
      expect(payload).toMatchObject({
        id: event.id,
        type: 'AccessShared',
        accountId,
        streamId: `access-${accountId}`,
        globalPosition: event.globalPosition,
        occurredAt: event.occurredAt,
        actor: event.actor,
      });
      expect(payload.data.recipients).toEqual([{ invitationId: expect.any(String), email: 'mike@example.com' }]);
      expect(delivery!.body).not.toMatch(/nonce|tokenHash/);
      // The other account's endpoint got its own account's event only.
      expect(at('/ok/other-account').map((r) => JSON.parse(r.body).accountId)).toEqual([other.accountId]);
    });

    it('the same event delivered again to the consumer is not sent twice (NOT-14)', async () => {
      const event = (await e2e.platform.store.readStream(`access-${accountId}`)).find(
        (e) => e.type === 'AccessShared',
      )!;
      await e2e.platform.services.get(WebhookReactor).react(event);
      await settle();
      expect(at('/ok/events')).toHaveLength(1);
      const listed = await deliveries(accountId, webhookId, token);
      expect(listed.status).toBe(200);
      expect(listItems(listed.body)).toEqual([
        {
          deliveryId: expect.any(String),
          eventId: event.id,
          eventType: 'AccessShared',
          attempt: 1,
          attemptedAt: expect.any(String),
          outcome: 'delivered',
          statusCode: 200,
          response: 'thanks',
          error: null,
          durationMs: expect.any(Number),
          nextAttemptAt: null,
        },
      ]);
    });

    it('the test call sends a signed webhook.test delivery now and answers its outcome (NOT-16)', async () => {
      const tested = await e2e.call('POST', `/v1/accounts/${accountId}/webhooks/${webhookId}/test`, { token });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({
        eventType: 'webhook.test',
        outcome: 'delivered',
        statusCode: 200,
        attempt: 1,
      });
      const request = at('/ok/events').find((r) => r.headers['webhook-id'] === tested.body.eventId)!;
      expect(JSON.parse(request.body)).toMatchObject({
        id: tested.body.eventId,
        type: 'webhook.test',
        accountId,
        data: { endpointId: webhookId },
      });
      const timestamp = request.headers['webhook-timestamp'] as string;
      expect(request.headers['webhook-signature']).toBe(
        signatureOf(secret, tested.body.eventId, timestamp, request.body),
      );
      const listed = listItems((await deliveries(accountId, webhookId, token)).body);
      expect(listed.map((a) => a['eventType'])).toEqual(['webhook.test', 'AccessShared']);
    });
  });

  describe('a failing receiver', () => {
    let accountId = '';
    let token = '';
    let webhookId = '';

    it('answering 500 is retried after the backoff; the deliveries list shows each attempt (NOT-15, NOT-16)', async () => {
      ({ accountId, token } = await ownAccount());
      webhookId = (await register(accountId, token, '/fail/policy', ['TokenPolicyChanged'])).body.id;
      expect((await setPolicy(accountId, token, 30)).status).toBe(200);
      await eventually(
        async () => at('/fail/policy'),
        (requests) => requests.length === 1,
      );
      const first = listItems((await deliveries(accountId, webhookId, token)).body);
      expect(first).toEqual([
        expect.objectContaining({
          eventType: 'TokenPolicyChanged',
          attempt: 1,
          outcome: 'failed',
          statusCode: 500,
          response: 'boom: not today',
          error: null,
        }),
      ]);
      expect(Date.parse(first[0]!['nextAttemptAt']) - Date.parse(first[0]!['attemptedAt'])).toBe(MINUTE);
      await settle();
      expect(at('/fail/policy')).toHaveLength(1);

      skipped += MINUTE + 1_000;
      await eventually(
        async () => at('/fail/policy'),
        (requests) => requests.length === 2,
      );
      const [one, two] = at('/fail/policy');
      expect(two!.headers['webhook-id']).toBe(one!.headers['webhook-id']);
      expect(two!.body).toBe(one!.body);
      const second = listItems((await deliveries(accountId, webhookId, token)).body);
      expect(second.map((a) => [a['attempt'], a['outcome']])).toEqual([
        [2, 'failed'],
        [1, 'failed'],
      ]);
      expect(Date.parse(second[0]!['nextAttemptAt']) - Date.parse(second[0]!['attemptedAt'])).toBe(2 * MINUTE);
      expect(second[1]!['nextAttemptAt']).toBeNull();
    });

    it('after 24 hours of failures the endpoint is disabled and the owners get a notice (NOT-15)', async () => {
      skipped += 25 * HOUR;
      await eventually(
        async () => at('/fail/policy'),
        (requests) => requests.length === 3,
      );
      const listed = await eventually(
        () => e2e.call('GET', `/v1/accounts/${accountId}/webhooks`, { token }),
        (r) => listItems(r.body)[0]?.['status'] === 'disabled',
      );
      expect(listItems(listed.body)[0]).toMatchObject({
        id: webhookId,
        status: 'disabled',
        disabledAt: expect.any(String),
      });
      const events = await e2e.platform.store.readStream(`webhook-${accountId}`);
      expect(events.at(-1)).toMatchObject({
        type: 'WebhookEndpointDisabled',
        actor: { via: 'system' },
        data: { endpointId: webhookId, reason: 'failing_for_24h', lastFailure: 'http 500' },
      });
      const attempts = listItems((await deliveries(accountId, webhookId, token)).body);
      expect(attempts[0]).toMatchObject({ attempt: 3, outcome: 'failed', nextAttemptAt: null });

      // The owner's own inbox (the account's only owner).
      const inbox = await eventually(
        () => e2e.call('GET', '/v1/me/notifications', { token }),
        (r) => noticesOf(r.body).some((n) => n.kind === 'webhook_disabled'),
      );
      const notice = noticesOf(inbox.body).find((n) => n.kind === 'webhook_disabled')!;
      expect(notice).toMatchObject({ accountId });
      expect(notice.text).toContain(`${receiverUrl}/fail/policy`);

      // Disabled: nothing more is sent to it.
      expect((await setPolicy(accountId, token, 60)).status).toBe(200);
      skipped += HOUR;
      await settle();
      expect(at('/fail/policy')).toHaveLength(3);
    });
  });

  it('DELETE stops deliveries; the endpoint is gone from the list and its deliveries are 404', async () => {
    const { accountId, token } = await ownAccount();
    const registered = await register(accountId, token, '/ok/deleted', ['TokenPolicyChanged']);
    const deleted = await e2e.call('DELETE', `/v1/accounts/${accountId}/webhooks/${registered.body.id}`, { token });
    expect(deleted.status).toBe(200);
    expect((await setPolicy(accountId, token, 30)).status).toBe(200);
    await settle();
    expect(at('/ok/deleted')).toEqual([]);
    const listed = await e2e.call('GET', `/v1/accounts/${accountId}/webhooks?minPosition=${deleted.body.position}`, {
      token,
    });
    expect(listItems(listed.body)).toEqual([]);
    expect((await deliveries(accountId, registered.body.id, token)).status).toBe(404);
    const again = await e2e.call('DELETE', `/v1/accounts/${accountId}/webhooks/${registered.body.id}`, { token });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('webhook.not_found');
  });

  it('owners only: a member who is not an owner gets 403, a stranger 404 (NOT-11)', async () => {
    const { accountId, token } = await ownAccount();
    const webhookId = (await register(accountId, token, '/ok/owners', ['MemberJoined'])).body.id;
    const admin = person('adam');
    const adminToken = await tokenOf(admin);
    const shared = await share(accountId, token, admin.email, 'administrator');
    const accepted = await e2e.call('POST', `/v1/invitations/${shared.body.invitations[0].id}/accept`, {
      token: adminToken,
    });
    expect(accepted.status).toBe(200);
    await eventually(
      () => e2e.call('GET', `/v1/accounts/${accountId}/members`, { token }),
      (r) => r.status === 200 && listItems(r.body).some((m) => m['userId'] === admin.userId),
    );
    // The member's joining was delivered to the owners' endpoint meanwhile.
    await eventually(
      async () => at('/ok/owners'),
      (requests) => requests.some((r) => JSON.parse(r.body).type === 'MemberJoined'),
    );

    const stranger = await tokenOf(person('eve'));
    const calls: [string, string, unknown?][] = [
      ['POST', `/v1/accounts/${accountId}/webhooks`, { url: `${receiverUrl}/ok/x`, eventTypes: ['MemberJoined'] }],
      ['GET', `/v1/accounts/${accountId}/webhooks`],
      ['DELETE', `/v1/accounts/${accountId}/webhooks/${webhookId}`],
      ['GET', `/v1/accounts/${accountId}/webhooks/${webhookId}/deliveries`],
      ['POST', `/v1/accounts/${accountId}/webhooks/${webhookId}/test`],
    ];
    for (const [method, path, body] of calls) {
      expect([method, path, (await e2e.call(method, path, { token: adminToken, body })).status]).toEqual([
        method,
        path,
        403,
      ]);
      expect([method, path, (await e2e.call(method, path, { token: stranger, body })).status]).toEqual([
        method,
        path,
        404,
      ]);
    }
    const listed = await e2e.call('GET', `/v1/accounts/${accountId}/webhooks`, { token });
    expect(listItems(listed.body).map((w) => w['id'])).toEqual([webhookId]);
  });

  it('a URL that is not https (or not a loopback http one) is refused with 400 naming url; unknown types naming eventTypes', async () => {
    const { accountId, token } = await ownAccount();
    for (const url of [
      'http://hooks.example.com/accord',
      'ftp://hooks.example.com/',
      'https://user:password@hooks.example.com/',
      'https://10.0.0.1/hook',
      'not a url',
    ]) {
      const refused = await e2e.call('POST', `/v1/accounts/${accountId}/webhooks`, {
        token,
        body: { url, eventTypes: ['MemberJoined'] },
      });
      expect([url, refused.status, refused.body.field]).toEqual([url, 400, 'url']);
    }
    const unknownType = await e2e.call('POST', `/v1/accounts/${accountId}/webhooks`, {
      token,
      body: { url: 'https://hooks.example.com/accord', eventTypes: ['NoSuchEvent'] },
    });
    expect(unknownType.status).toBe(400);
    expect(JSON.stringify(unknownType.body)).toContain('eventTypes');
    expect(await e2e.platform.store.readStream(`webhook-${accountId}`)).toEqual([]);
  });
});

/** The inbox's notices, whichever list shape it answers. */
function noticesOf(body: unknown): { kind: string; accountId: string; text: string }[] {
  const b = body as { items?: unknown; notifications?: unknown };
  return (Array.isArray(b.items) ? b.items : (b.notifications as never[])) ?? [];
}
