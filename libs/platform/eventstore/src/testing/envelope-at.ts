import type { EventEnvelope } from '@accord/contracts';

/** A stored event at `globalPosition` (one test stream, fixed metadata), for the subscription specs. */
export const envelopeAt = (globalPosition: number): EventEnvelope => ({
  id: `event-${globalPosition}`,
  type: 'SomethingHappened',
  schemaVersion: 1,
  streamId: 'test-1',
  streamPosition: globalPosition,
  globalPosition,
  occurredAt: '2024-01-01T00:00:00.000Z',
  accountId: null,
  actor: { userId: 'user-1', via: 'session' },
  correlationId: 'corr-1',
  causationId: null,
  data: {},
});
