import { withoutSecrets, type EventEnvelope } from '@accord/contracts';

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
