import { acceptAnyEvent, createEventStore, type AppendOutcome, type NewEvent } from '@accord/eventstore';
import { createTestPglite } from '@accord/testing';

const event = (id: string): NewEvent => ({
  id,
  type: 'Counted',
  data: {},
  metadata: {
    accountId: null,
    actor: { userId: 'system', via: 'system' },
    correlationId: id,
    causationId: null,
    occurredAt: '2024-05-01T12:00:00.000Z',
  },
});

describe('the event store tells its observer of every append (metrics)', () => {
  it('ok with the events it carried, conflict on a wrong expected version, each with its duration', async () => {
    const sql = await createTestPglite();
    const seen: Array<[AppendOutcome, number]> = [];
    const store = await createEventStore(sql, {
      validateEvent: acceptAnyEvent,
      observer: { appended: (outcome, events, seconds) => seen.push([outcome, seconds >= 0 ? events : -1]) },
    });
    try {
      await store.append('counter-1', [event('00000000-0000-4000-8000-000000000001')], 'no_stream');
      await expect(
        store.append('counter-1', [event('00000000-0000-4000-8000-000000000002')], 'no_stream'),
      ).rejects.toThrow();
      expect(seen).toEqual([
        ['ok', 1],
        ['conflict', 1],
      ]);
    } finally {
      await store.close();
      await sql.close();
    }
  });

  it('counts the events after a position (the lag in events), up to a cap: positions are not dense', async () => {
    const sql = await createTestPglite();
    const store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
    try {
      await store.append('counter-2', [event('00000000-0000-4000-8000-000000000011')], 'no_stream');
      await store.append('counter-2', [event('00000000-0000-4000-8000-000000000012')], 0);
      await store.append('counter-2', [event('00000000-0000-4000-8000-000000000013')], 1);
      const [first] = await store.readStream('counter-2');
      expect(await store.countEventsAfter(0, 100)).toBe(3);
      expect(await store.countEventsAfter(first!.globalPosition, 100)).toBe(2);
      expect(await store.countEventsAfter(first!.globalPosition, 1)).toBe(1);
      expect(await store.countEventsAfter(await store.headPosition(), 100)).toBe(0);
    } finally {
      await store.close();
      await sql.close();
    }
  });
});
