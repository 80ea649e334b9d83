import { randomBytes, randomUUID } from 'node:crypto';
import { parseTraceparent, type EventEnvelope } from '@accord/contracts';
import { eventually, sessionToken } from '@accord/testing';
import { useEmbeddedPlatform } from './testing/embedded-harness';

/** A caller's fresh W3C traceparent (sampled). */
function newTraceparent(): { header: string; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  return { header: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}

// Issue 12: a request's W3C trace context reaches the events its command appends (embedded profile).
describe('traceparent from the gateway into event metadata', () => {
  const e2e = useEmbeddedPlatform('trace-context');
  const run = randomUUID().slice(0, 8);
  const olivia = { userId: randomUUID(), email: `olivia-${run}@example.com` };
  const mike = { userId: randomUUID(), email: `mike-${run}@example.com` };

  const eventsOf = (accountId: string) => e2e.platform.store.readEvents({ accountId, limit: 100 });
  const traceIdOf = (event: EventEnvelope | undefined) => parseTraceparent(event?.traceparent)?.traceId;

  /** The `metadata` column as stored, not the envelope read back from it. */
  async function storedMetadata(eventId: string): Promise<Record<string, unknown>> {
    const { rows } = await e2e.platform.sql.query<{ metadata: Record<string, unknown> }>(
      'SELECT metadata FROM events WHERE event_id = $1',
      [eventId],
    );
    return rows[0]!.metadata;
  }

  it("stores the caller's trace id on the events of its command, and answers with it", async () => {
    const token = await sessionToken(e2e.config.jwtSecret, olivia);
    const trace = newTraceparent();
    const created = await e2e.call('POST', '/v1/accounts', {
      token,
      body: { name: 'Acme' },
      headers: { traceparent: trace.header },
    });
    expect(created.status).toBe(201);
    expect(parseTraceparent(created.headers.get('traceparent'))?.traceId).toBe(trace.traceId);

    const events = await eventsOf(created.body.id);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(traceIdOf(event)).toBe(trace.traceId);
      expect(event.traceparent).toBe(created.headers.get('traceparent'));
      expect(parseTraceparent((await storedMetadata(event.id))['traceparent'])?.traceId).toBe(trace.traceId);
    }
  });

  it('gives a command sent without a traceparent a trace of its own, echoed in the response', async () => {
    const token = await sessionToken(e2e.config.jwtSecret, olivia);
    const created = await e2e.call('POST', '/v1/accounts', { token, body: { name: 'Untraced' } });
    expect(created.status).toBe(201);
    const answered = created.headers.get('traceparent');
    expect(parseTraceparent(answered)).toBeDefined();
    const [event] = await eventsOf(created.body.id);
    expect(event?.traceparent).toBe(answered);
  });

  it('ignores a malformed traceparent: the command succeeds and its events carry a valid new trace', async () => {
    const token = await sessionToken(e2e.config.jwtSecret, olivia);
    const created = await e2e.call('POST', '/v1/accounts', {
      token,
      body: { name: 'Bad trace' },
      headers: { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` },
    });
    expect(created.status).toBe(201);
    const [event] = await eventsOf(created.body.id);
    expect(traceIdOf(event)).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf(event)).not.toBe('0'.repeat(32));
  });

  it('carries the trace into the events of reactions: an accept and the MemberJoined it causes', async () => {
    const oliviaToken = await sessionToken(e2e.config.jwtSecret, olivia);
    const mikeToken = await sessionToken(e2e.config.jwtSecret, mike);
    const account = await e2e.call('POST', '/v1/accounts', { token: oliviaToken, body: { name: 'Reactions' } });
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

    const trace = newTraceparent();
    const accepted = await e2e.call('POST', `/v1/invitations/${shared.body.invitations[0].id}/accept`, {
      token: mikeToken,
      headers: { traceparent: trace.header },
    });
    expect(accepted.status).toBe(200);

    const events = await eventually(
      () => eventsOf(accountId),
      (all) => all.some((event) => event.type === 'MemberJoined'),
    );
    const acceptedEvent = events.find((event) => event.type === 'InvitationAccepted');
    const joined = events.find((event) => event.type === 'MemberJoined');
    expect(traceIdOf(acceptedEvent)).toBe(trace.traceId);
    expect(joined?.causationId).toBe(acceptedEvent?.id);
    expect(traceIdOf(joined)).toBe(trace.traceId);
    // The share before it was another request: another trace.
    expect(traceIdOf(events.find((event) => event.type === 'AccessShared'))).not.toBe(trace.traceId);
  });
});
