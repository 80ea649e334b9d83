import type { AccordEnvelope, AccordEventType, EventDataOf } from '@accord/contracts';

/**
 * Given/when/then specifications for pure reactions (`event (+ read facts) → commands`):
 *
 *   given(['t1', 't2']).when(removed).then([revoke('t1'), revoke('t2')])
 *   given([]).when(left).thenNothing()
 *
 * `given` takes the facts the runner reads before deciding (nothing for a reaction without any).
 */
export function reactionSpec<Event, Facts, Result>(react: (event: Event, facts: Facts) => Result) {
  return (facts: Facts) => ({
    when: (event: Event) => ({
      then: (expected: Result) => expect(react(event, facts)).toEqual(expected),
      /** No command: an empty list, or null for a reaction that answers one command or none. */
      thenNothing: () => {
        const result: unknown = react(event, facts);
        expect(result === null || (Array.isArray(result) && result.length === 0) ? 'nothing' : result).toBe('nothing');
      },
    }),
  });
}

/** A stored event of `type` as a consumer receives it; ids and positions are fixed for specs. */
export function recorded<T extends AccordEventType>(
  type: T,
  data: EventDataOf<T>,
  overrides: Partial<Omit<AccordEnvelope, 'type' | 'data'>> = {},
): AccordEnvelope<T> {
  const accountId =
    typeof (data as { accountId?: unknown }).accountId === 'string' ? (data as { accountId: string }).accountId : null;
  // The mapped union cannot be built from a generic `type` without a cast; the parameters keep it honest.
  return {
    id: 'event-1',
    type,
    schemaVersion: 1,
    streamId: 'stream-1',
    streamPosition: 0,
    globalPosition: 1,
    occurredAt: '2026-11-23T10:00:00.000Z',
    accountId,
    actor: { userId: 'u-actor', via: 'session' },
    correlationId: 'request-1',
    causationId: null,
    data,
    ...overrides,
  } as AccordEnvelope<T>;
}
