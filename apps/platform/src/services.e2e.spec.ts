import { randomUUID } from 'node:crypto';
import type { JsMsg } from 'nats';
import { subjects } from '@accord/contracts';
import { parsePrometheusText, sampleValue } from '@accord/service-kit';
import { eventually, listItems, runSliceScenario, sessionToken } from '@accord/testing';
import { useServicesProfile } from './testing/services-harness';

// The services profile end to end: gateway and services as real processes over the machine's
// NATS (JetStream) and PostgreSQL, with a per-run database and NATS prefix. An outside NATS client
// reads ACCORD_EVENTS as any consuming service would.
describe('services profile (npm run start:services) over HTTP, NATS and PostgreSQL', () => {
  const services = useServicesProfile({
    apps: ['membership-service', 'invitation-service', 'api-token-service', 'gateway'],
    probes: ['/v1/accounts', '/v1/me/invitations'],
  });
  const { jwtSecret, naming } = services;

  /** Every message of the run's JetStream stream, as an outside consumer sees it. */
  const streamMessages = async (): Promise<JsMsg[]> => {
    const consumer = await services.nats.jetstream().consumers.get(naming.streamName);
    const messages: JsMsg[] = [];
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1500 });
    for await (const message of batch) messages.push(message);
    return messages;
  };

  it('runs the slice, and an outside NATS client sees its events with the full envelope', async () => {
    const { accountId, mike, invitationId } = await runSliceScenario(services.baseUrl, jwtSecret);
    const messages = await eventually(
      streamMessages,
      (all) => all.some((m) => m.subject.endsWith('.MemberJoined')),
      15_000,
    );
    const envelopes = messages.map((m) => ({
      subject: m.subject,
      msgId: m.headers?.get('Nats-Msg-Id'),
      envelope: m.json<any>(),
    }));
    const ofAccount = envelopes.filter((e) => e.envelope.accountId === accountId);
    expect(ofAccount.map((e) => e.envelope.type)).toEqual([
      'AccountCreated',
      'AccessShared',
      'InvitationAccepted',
      'MemberJoined',
    ]);
    for (const { subject, msgId, envelope } of ofAccount) {
      expect(msgId).toBe(envelope.id);
      expect(subject).toBe(
        `${naming.subjectRoot}.${envelope.type === 'AccessShared' || envelope.type === 'InvitationAccepted' ? 'invitation' : 'membership'}.${envelope.type}`,
      );
      expect(Object.keys(envelope).sort()).toEqual(
        [
          'accountId',
          'actor',
          'causationId',
          'correlationId',
          'data',
          'globalPosition',
          'id',
          'occurredAt',
          'schemaVersion',
          'streamId',
          'streamPosition',
          // Every request's commands carry the gateway's W3C trace context (optional in the envelope).
          'traceparent',
          'type',
        ].sort(),
      );
      expect(envelope.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    const joined = ofAccount.find((e) => e.envelope.type === 'MemberJoined')!.envelope;
    const acceptedEvent = ofAccount.find((e) => e.envelope.type === 'InvitationAccepted')!.envelope;
    expect(joined.data).toMatchObject({ userId: mike.userId, invitationId });
    expect(joined.causationId).toBe(acceptedEvent.id);
    expect(joined.correlationId).toBe(acceptedEvent.correlationId);
    expect(acceptedEvent.actor).toEqual({ userId: mike.userId, via: 'session' });
  }, 60_000);

  it('each service answers on its ops port (/health/live, /health, /metrics); the gateway serves them on its own', async () => {
    const ops = (app: string, path: string) => fetch(`http://127.0.0.1:${services.opsPort(app)}${path}`);
    for (const app of ['membership-service', 'invitation-service', 'api-token-service']) {
      expect([app, (await ops(app, '/health/live')).status]).toEqual([app, 200]);
      const ready = await ops(app, '/health');
      expect([app, ready.status, await ready.json()]).toEqual([app, 200, { status: 'ok', nats: 'ok', database: 'ok' }]);
    }
    const owner = await sessionToken(jwtSecret, { email: `owner-${randomUUID()}@example.com` });
    const account = await services.call('POST', '/v1/accounts', { token: owner, body: { name: 'Scraped' } });
    expect(account.status).toBe(201);
    // The membership service counted the command and applied the event; its relay says if it holds the lock.
    const created = { subject: subjects.membership.createAccount, outcome: 'ok' };
    const membersProjection = { component: 'projection:membership.members.v2' };
    const membership = await eventually(
      async () => parsePrometheusText(await (await ops('membership-service', '/metrics')).text()),
      (samples) =>
        (sampleValue(samples, 'accord_commands_total', created) ?? 0) >= 1 &&
        (sampleValue(samples, 'accord_consumer_checkpoint_position', membersProjection) ?? 0) >= account.body.position,
    );
    expect(sampleValue(membership, 'accord_consumer_up', membersProjection)).toBe(1);
    expect(sampleValue(membership, 'accord_relay_active')).toBeDefined();
    expect(sampleValue(membership, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // The gateway: /health/live, and /metrics with its HTTP requests and its NATS requests.
    expect((await services.call('GET', '/health/live')).status).toBe(200);
    const gateway = parsePrometheusText(await (await fetch(`${services.baseUrl}/metrics`)).text());
    expect(
      sampleValue(gateway, 'accord_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/accounts',
        status_code: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(gateway, 'accord_request_duration_seconds_count', { transport: 'nats', ...created }),
    ).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('killed mid-way (SIGKILL) and started again: no event lost, no member duplicated', async () => {
    const call = services.call;
    const owner = await sessionToken(jwtSecret, { email: `owner-${randomUUID()}@example.com` });
    const account = await call('POST', '/v1/accounts', { token: owner, body: { name: 'Crashy' } });
    const people = Array.from({ length: 6 }, (_, i) => ({
      userId: randomUUID(),
      email: `p${i}-${randomUUID().slice(0, 6)}@example.com`,
    }));
    const shared = await call('POST', `/v1/accounts/${account.body.id}/accesses`, {
      token: owner,
      body: {
        name: 'All',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: people.map((p) => p.email),
      },
    });
    expect(shared.status).toBe(201);
    // Accept all at once and kill everything while reactions and the relay are in flight.
    const accepts = people.map(async (person, i) =>
      call('POST', `/v1/invitations/${shared.body.invitations[i].id}/accept?minPosition=${shared.body.position}`, {
        token: await sessionToken(jwtSecret, person),
      }).catch(() => null),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await services.kill('SIGKILL');
    await Promise.all(accepts);
    await services.start();

    // Whatever was accepted before the kill (or is accepted now, after it) ends as ONE member each.
    for (const [i, person] of people.entries()) {
      const reply = await call('POST', `/v1/invitations/${shared.body.invitations[i].id}/accept`, {
        token: await sessionToken(jwtSecret, person),
      });
      expect(reply.status).toBe(200);
    }
    const members = await eventually(
      () => call('GET', `/v1/accounts/${account.body.id}/members`, { token: owner }),
      (r) => r.status === 200 && listItems(r.body).length === people.length + 1,
      30_000, // what the killed replica had pulled comes back after the JetStream ack wait (5 s)
    );
    expect(listItems(members.body)).toHaveLength(people.length + 1);
    expect(new Set(listItems(members.body).map((m: any) => m.userId)).size).toBe(people.length + 1);

    // The stream holds every event of the account exactly once.
    const { rows } = await services.database.sql.query<{ id: string }>(
      `SELECT event_id AS id FROM events WHERE (metadata->>'accountId') = $1`,
      [account.body.id],
    );
    const messages = await eventually(
      streamMessages,
      (all) => all.filter((m) => m.json<any>().accountId === account.body.id).length >= rows.length,
      20_000,
    );
    const ids = messages
      .map((m) => m.json<any>())
      .filter((e) => e.accountId === account.body.id)
      .map((e) => e.id);
    expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(ids.filter((e) => e === undefined)).toEqual([]);
    const joinedCount = messages.filter(
      (m) => m.json<any>().accountId === account.body.id && m.subject.endsWith('.MemberJoined'),
    ).length;
    expect(joinedCount).toBe(people.length);
  }, 120_000);
});
