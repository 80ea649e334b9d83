import type { EventEnvelope } from '@accord/contracts';
import type { EventQuery, EventStore } from './event-store';

/**
 * Every event that matches `query`, read in pages of `query.limit` through `readEvents`, in its
 * direction. Stops at the first short page: the end of the log, or the readers' horizon when it
 * started (events that become visible later are left for the next run, so a busy log cannot keep
 * an export going for ever).
 */
export async function* eventsMatching(store: EventStore, query: EventQuery): AsyncGenerator<EventEnvelope> {
  const backward = query.direction === 'backward';
  let cursor: Pick<EventQuery, 'after' | 'before'> = {};
  for (;;) {
    const page = await store.readEvents({ ...query, ...cursor });
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < query.limit) return;
    cursor = backward ? { before: last.globalPosition } : { after: last.globalPosition };
  }
}
