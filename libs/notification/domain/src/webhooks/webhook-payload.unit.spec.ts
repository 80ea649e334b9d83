import { EVENT_EXAMPLES, type EventEnvelope } from '@accord/contracts';
import { subscribersOf, webhookPayloadOf, type WebhookSubscription } from './webhook-payload';

const ACCOUNT = EVENT_EXAMPLES.AccessShared.accountId;
const envelope = (type: string, data: unknown, over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  id: 'e1',
  type,
  schemaVersion: 1,
  streamId: `access-${ACCOUNT}`,
  streamPosition: 0,
  globalPosition: 10,
  occurredAt: '2030-01-01T00:00:00.000Z',
  accountId: ACCOUNT,
  actor: { userId: 'u-root', via: 'session' },
  correlationId: 'c1',
  causationId: null,
  data,
  ...over,
});
const endpoint = (over: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  endpointId: 'w1',
  accountId: ACCOUNT,
  eventTypes: ['AccessShared', 'MemberJoined'],
  registeredAt: 5,
  endedAt: null,
  ...over,
});

describe('which endpoints an event goes to (rule NOT-14)', () => {
  const shared = envelope('AccessShared', EVENT_EXAMPLES.AccessShared);

  it('an endpoint of the event’s account that subscribed to its type', () =>
    expect(subscribersOf(shared, [endpoint()]).map((e) => e.endpointId)).toEqual(['w1']));

  it('never an endpoint of another account', () =>
    expect(subscribersOf(shared, [endpoint({ accountId: '00000000-0000-4000-8000-000000000000' })])).toEqual([]));

  it('never for a type it did not subscribe to', () =>
    expect(subscribersOf(shared, [endpoint({ eventTypes: ['MemberJoined'] })])).toEqual([]));

  it('only events after its registration, and before its deletion or disabling', () => {
    expect(subscribersOf(shared, [endpoint({ registeredAt: 10 })])).toEqual([]);
    expect(subscribersOf(shared, [endpoint({ registeredAt: 11 })])).toEqual([]);
    expect(subscribersOf(shared, [endpoint({ endedAt: 9 })])).toEqual([]);
    expect(subscribersOf(shared, [endpoint({ endedAt: 11 })])).toHaveLength(1);
  });

  it('an event of no account goes nowhere', () =>
    expect(subscribersOf({ ...shared, accountId: null }, [endpoint()])).toEqual([]));
});

describe('the delivered payload: the public envelope without secrets (rule NOT-14)', () => {
  it('keeps every envelope field', () => {
    const event = envelope('MemberJoined', EVENT_EXAMPLES.MemberJoined, {
      traceparent: '00-' + '1'.repeat(32) + '-' + '2'.repeat(16) + '-01',
    });
    expect(webhookPayloadOf(event)).toEqual(event);
  });

  it('takes out invitation links (nonce and token hash) at any depth', () => {
    const payload = webhookPayloadOf(envelope('AccessShared', EVENT_EXAMPLES.AccessShared));
    const text = JSON.stringify(payload);
    expect(text).not.toContain(EVENT_EXAMPLES.AccessShared.recipients[0]!.link.nonce);
    expect(text).not.toContain(EVENT_EXAMPLES.AccessShared.recipients[0]!.link.tokenHash);
    expect((payload.data as { recipients: { email: string }[] }).recipients[0]).toEqual({
      invitationId: EVENT_EXAMPLES.AccessShared.recipients[0]!.invitationId,
      email: EVENT_EXAMPLES.AccessShared.recipients[0]!.email,
    });
  });

  it('takes out API token hashes and webhook secret hashes and prefixes', () => {
    expect(webhookPayloadOf(envelope('ApiTokenIssued', EVENT_EXAMPLES.ApiTokenIssued)).data).not.toHaveProperty(
      'tokenHash',
    );
    const registered = webhookPayloadOf(
      envelope('WebhookEndpointRegistered', EVENT_EXAMPLES.WebhookEndpointRegistered),
    );
    expect(registered.data).not.toHaveProperty('secretHash');
    expect(registered.data).not.toHaveProperty('secretPrefix');
    expect(registered.data).toMatchObject({ url: EVENT_EXAMPLES.WebhookEndpointRegistered.url });
  });

  it('never changes the stored event', () => {
    const event = envelope('AccessShared', EVENT_EXAMPLES.AccessShared);
    const before = JSON.stringify(event);
    webhookPayloadOf(event);
    expect(JSON.stringify(event)).toBe(before);
  });
});
