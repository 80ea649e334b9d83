import type { EventEnvelope } from '@accord/contracts';

/** An endpoint as the delivery rule sees it: whose, which types, and when it listened (store positions). */
export interface WebhookSubscription {
  readonly endpointId: string;
  readonly accountId: string;
  readonly eventTypes: readonly string[];
  /** Global position of its registration: only later events are its. */
  readonly registeredAt: number;
  /** Global position of its deletion or disabling; null while it is active. */
  readonly endedAt: number | null;
}

/**
 * The endpoints an event goes to (NOT-14): those of the event's own account that subscribed to its
 * type and were listening when it happened. An event of no account goes nowhere.
 */
export function subscribersOf(
  event: Pick<EventEnvelope, 'type' | 'accountId' | 'globalPosition'>,
  endpoints: readonly WebhookSubscription[],
): WebhookSubscription[] {
  if (event.accountId === null) return [];
  return endpoints.filter(
    (e) =>
      e.accountId === event.accountId &&
      e.eventTypes.includes(event.type) &&
      e.registeredAt < event.globalPosition &&
      (e.endedAt === null || e.endedAt > event.globalPosition),
  );
}

// Keys whose values could open something: an invitation link (its nonce lets whoever holds the link
// key compute the token; its tokenHash finds the invitation), a token's hash, a webhook's signing
// secret, any secret. The same rule as the owners' audit log.
const SECRET_KEY = /^(link|nonce)$|secret|password|tokenhash/i;

/**
 * The body of a delivery: the public envelope (DESIGN.md "Event envelope") with every secret taken
 * out of its data (NOT-14), so a receiver learns what the owners' audit log shows, never more.
 */
export function webhookPayloadOf(event: EventEnvelope): EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamPosition: event.streamPosition,
    globalPosition: event.globalPosition,
    occurredAt: event.occurredAt,
    accountId: event.accountId,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    data: withoutSecrets(event.data),
  };
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, child]) => [key, withoutSecrets(child)]),
  );
}
