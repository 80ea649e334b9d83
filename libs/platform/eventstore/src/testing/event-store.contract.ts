import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import { appendWithin } from '../append';
import { acceptAnyEvent } from '../event-validation';
import { eventsMatching } from '../event-pages';
import {
  WrongExpectedVersionError,
  type AppendResult,
  type EventQuery,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '../event-store';
import type { SqlClient } from '../sql-client';

export interface EventStoreContractContext {
  readonly store: EventStore;
  /** The store's database: the suite holds transactions open through it. */
  readonly sql: SqlClient;
  teardown(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show (DESIGN.md "Event store semantics").
 * `setup` runs once per suite; cases use fresh streams and positions relative to the head, so
 * they do not depend on each other, except the first, which expects the store to start empty.
 */
export function describeEventStoreContract(name: string, setup: () => Promise<EventStoreContractContext>): void {
  describe(`EventStore contract: ${name}`, () => {
    let context: EventStoreContractContext;
    const store = (): EventStore => context.store;

    // The global log shows an event once every transaction older than its own has ended, in the
    // whole PostgreSQL cluster (global-position.ts), so a read right after an append may not show
    // it yet. Cases wait for what they appended instead of assuming read-your-writes on readAll.
    let lastAppended = 0;
    const noteAppended = (position: number): void => {
      lastAppended = Math.max(lastAppended, position);
    };
    const append = async (
      streamId: string,
      events: readonly NewEvent[],
      expected: ExpectedVersion,
    ): Promise<AppendResult> => {
      const result = await store().append(streamId, events, expected);
      noteAppended(result.lastPosition);
      return result;
    };
    const untilVisible = async (position: number): Promise<void> => {
      for (const deadline = Date.now() + 10_000; (await store().headPosition()) < position; await sleep(10)) {
        if (Date.now() > deadline) throw new Error(`position ${position} not visible within 10 s`);
      }
    };
    /** The head once everything appended by earlier cases is visible: a clean starting point. */
    const settledHead = async (): Promise<number> => {
      await untilVisible(lastAppended);
      return store().headPosition();
    };

    beforeAll(async () => {
      context = await setup();
    }, 60_000);
    afterAll(async () => {
      await context?.teardown();
    }, 60_000);

    it('starts empty: head 0, nothing to read', async () => {
      expect(await store().headPosition()).toBe(0);
      expect(await store().readAll(0, 10)).toEqual([]);
    });

    it('round-trips appended events as full envelopes', async () => {
      const streamId = newStreamId('account');
      const first = newEvent({ type: 'MemberJoined', data: { email: 'a@example.com', roles: ['owner'] } });
      const second = newEvent({
        type: 'RoleChanged',
        schemaVersion: 2,
        data: { role: 'accountant', nested: { list: [1, 2, 3], flag: true, none: null } },
        metadata: {
          accountId: 'acc-1',
          actor: { userId: 'user-2', via: 'api_token', tokenId: 'tok-9' },
          correlationId: 'corr-2',
          causationId: 'cause-2',
          occurredAt: '2024-05-01T10:00:00.000Z',
        },
      });

      const result = await append(streamId, [first, second], 'no_stream');
      const events = await store().readStream(streamId);

      expect(result.nextExpectedVersion).toBe(1);
      expect(events).toEqual([
        envelopeOf(first, streamId, 0, events[0]!.globalPosition),
        envelopeOf(second, streamId, 1, result.lastPosition),
      ]);
      expect(events[0]!.globalPosition).toBeLessThan(events[1]!.globalPosition);
      expect(await store().readStream(streamId, { fromVersion: 1 })).toEqual([events[1]]);
      expect(await store().readStream(newStreamId())).toEqual([]);
      await untilVisible(result.lastPosition);
      const all = await store().readAll(events[0]!.globalPosition - 1, 10);
      expect(all.slice(0, 2)).toEqual(events);
    });

    it('honours every expected version and reports conflicts with the actual version', async () => {
      const streamId = newStreamId();
      await expectConflict(append(streamId, [newEvent()], 0), streamId, 0, 'no_stream');
      await expectConflict(append(streamId, [newEvent()], 'exists'), streamId, 'exists', 'no_stream');

      expect((await append(streamId, [newEvent()], 'no_stream')).nextExpectedVersion).toBe(0);
      await expectConflict(append(streamId, [newEvent()], 'no_stream'), streamId, 'no_stream', 0);
      expect((await append(streamId, [newEvent(), newEvent()], 0)).nextExpectedVersion).toBe(2);
      await expectConflict(append(streamId, [newEvent()], 1), streamId, 1, 2);
      await expectConflict(append(streamId, [newEvent()], 3), streamId, 3, 2);
      expect((await append(streamId, [newEvent()], 'exists')).nextExpectedVersion).toBe(3);
      expect((await append(streamId, [newEvent()], 'any')).nextExpectedVersion).toBe(4);
      expect((await append(newStreamId(), [newEvent()], 'any')).nextExpectedVersion).toBe(0);

      const events = await store().readStream(streamId);
      expect(events.map((event) => event.streamPosition)).toEqual([0, 1, 2, 3, 4]);
    });

    it('appends all events of one call or none', async () => {
      const head = await settledHead();
      const streamId = newStreamId();
      // The database refuses the second event (jsonb cannot hold \u0000) after accepting the first.
      const unstorable = newEvent({ data: { text: 'nul \u0000 byte' } });
      await expect(append(streamId, [newEvent(), unstorable], 'any')).rejects.toThrow();
      expect(await store().readStream(streamId)).toEqual([]);

      const taken = newEvent();
      await append(newStreamId(), [taken], 'no_stream');
      await expect(append(streamId, [newEvent(), newEvent({ id: taken.id })], 'any')).rejects.toThrow();
      expect(await store().readStream(streamId)).toEqual([]);
      await untilVisible(lastAppended);
      expect((await store().readAll(head, 10)).map((event) => event.id)).toEqual([taken.id]);
    });

    it('refuses appends of more events than one transaction can number', async () => {
      const streamId = newStreamId();
      const tooMany = Array.from({ length: 65_536 }, () => newEvent());
      await expect(append(streamId, tooMany, 'any')).rejects.toThrow(/at most 65535/);
      expect(await store().readStream(streamId)).toEqual([]);
    });

    it('treats re-appending stored event ids as a no-op returning the stored result', async () => {
      const streamId = newStreamId();
      const events = [newEvent(), newEvent()];
      const original = await append(streamId, events, 'no_stream');

      expect(await append(streamId, events, 'no_stream')).toEqual(original);
      await append(streamId, [newEvent()], 1);
      // Still a no-op after the stream moved on, whatever `expected` the retry carries.
      expect(await append(streamId, events, 0)).toEqual(original);
      expect((await store().readStream(streamId)).map((event) => event.id)).toEqual([
        events[0]!.id,
        events[1]!.id,
        expect.any(String),
      ]);
    });

    it('rejects a re-append that only partly repeats stored events or targets another stream', async () => {
      const streamId = newStreamId();
      const stored = newEvent();
      await append(streamId, [stored], 'no_stream');

      const partial = await failure(append(streamId, [stored, newEvent()], 'any'));
      expect(partial).toBeInstanceOf(Error);
      expect(partial).not.toBeInstanceOf(WrongExpectedVersionError);
      expect(String(partial)).toContain(stored.id);

      const otherStream = newStreamId();
      const elsewhere = await failure(append(otherStream, [stored], 'any'));
      expect(elsewhere).toBeInstanceOf(Error);
      expect(String(elsewhere)).toContain(streamId);

      expect(await store().readStream(streamId)).toHaveLength(1);
      expect(await store().readStream(otherStream)).toEqual([]);
    });

    it('pages readAll in global order with an exclusive lower bound', async () => {
      const head = await settledHead();
      const batch = [newEvent(), newEvent(), newEvent()];
      await append(newStreamId(), batch, 'no_stream');
      const singles = [newEvent(), newEvent()];
      for (const event of singles) await append(newStreamId(), [event], 'no_stream');
      await untilVisible(lastAppended);

      const pages: EventEnvelope[][] = [];
      for (let after = head; ;) {
        const page = await store().readAll(after, 2);
        if (page.length === 0) break;
        pages.push(page);
        after = page[page.length - 1]!.globalPosition;
      }
      const all = pages.flat();

      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(all.map((event) => event.id)).toEqual([...batch, ...singles].map((event) => event.id));
      expectIncreasing(all);
      expect(await store().readAll(all[1]!.globalPosition, 1)).toEqual([all[2]]);
      expect(await store().readAll(all[4]!.globalPosition, 10)).toEqual([]);
    });

    it('reports the position of the newest visible event as head', async () => {
      const result = await append(newStreamId(), [newEvent(), newEvent()], 'no_stream');
      await untilVisible(result.lastPosition);
      expect(await store().headPosition()).toBe(result.lastPosition);
      const [last] = await store().readAll(result.lastPosition - 1, 1);
      expect(last?.globalPosition).toBe(result.lastPosition);
    });

    it('subscribeAll catches up from a position, then delivers live events', async () => {
      const head = await settledHead();
      const past = [newEvent(), newEvent(), newEvent()];
      await append(newStreamId(), past, 'no_stream');
      const received: EventEnvelope[] = [];
      const subscription = store().subscribeAll(head, async (event) => {
        received.push(event);
      });
      try {
        await waitFor(() => received.length >= 3);
        const live = [newEvent(), newEvent()];
        await append(newStreamId(), [live[0]!], 'no_stream');
        await append(newStreamId(), [live[1]!], 'no_stream');
        await waitFor(() => received.length >= 5);
        await sleep(150);

        expect(received).toEqual(await store().readAll(head, 100));
        expect(received.map((event) => event.id)).toEqual([...past, ...live].map((event) => event.id));
      } finally {
        await subscription.close();
      }
    });

    it('close() waits for the handler in flight, then delivers nothing more', async () => {
      const head = await settledHead();
      const received: string[] = [];
      const handlerStarted = deferred();
      let handlerFinished = false;
      const subscription = store().subscribeAll(head, async (event) => {
        handlerStarted.resolve();
        await sleep(100);
        received.push(event.id);
        handlerFinished = true;
      });
      const first = newEvent();
      await append(newStreamId(), [first, newEvent()], 'no_stream');
      await handlerStarted.promise;

      await subscription.close();
      expect(handlerFinished).toBe(true);
      await append(newStreamId(), [newEvent()], 'no_stream');
      await sleep(200);
      expect(received).toEqual([first.id]);
    });

    it('retries a failing handler on the same event, without skipping or repeating', async () => {
      const head = await settledHead();
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const attempts = new Map<string, number>();
      const delivered: string[] = [];
      const flaky = newEvent({ data: { secret: 'do-not-log-me' } });
      const next = newEvent();
      const subscription = store().subscribeAll(head, async (event) => {
        const attempt = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, attempt);
        if (event.id === flaky.id && attempt <= 2) throw new Error('projection database unavailable');
        delivered.push(event.id);
      });
      try {
        await append(newStreamId(), [flaky, next], 'no_stream');
        await waitFor(() => delivered.length >= 2);
        await sleep(100);

        expect(delivered).toEqual([flaky.id, next.id]);
        expect(attempts.get(flaky.id)).toBe(3);
        expect(attempts.get(next.id)).toBe(1);
        const handlerWarnings = warn.mock.calls.filter((args) => String(args[0]).includes(flaky.id));
        expect(handlerWarnings).toHaveLength(2);
        expect(JSON.stringify(warn.mock.calls)).not.toContain('do-not-log-me');
      } finally {
        await subscription.close();
        warn.mockRestore();
      }
    });

    it('lets exactly one of many concurrent writers with the same expected version win', async () => {
      const writers = 10;
      for (let round = 0; round < 20; round += 1) {
        const streamId = newStreamId();
        let expected: ExpectedVersion = 'no_stream';
        if (round % 2 === 0) {
          await append(streamId, [newEvent()], 'no_stream');
          expected = 0;
        }
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, () => append(streamId, [newEvent()], expected)),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.flatMap((outcome) =>
          outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
        );
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(writers - 1);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(WrongExpectedVersionError);
          expect(loser).toMatchObject({ streamId, expected, actual: expected === 0 ? 1 : 0 });
        }
        expect(await store().readStream(streamId)).toHaveLength(expected === 0 ? 2 : 1);
      }
    }, 60_000);

    it('delivers each event exactly once, in order, when transactions commit out of order', async () => {
      const { sql } = context;
      const head = await settledHead();
      const received: EventEnvelope[] = [];
      const subscription = store().subscribeAll(head, async (event) => {
        received.push(event);
      });
      const held = holdAppendOpen(sql, newStreamId('held'));
      try {
        await held.appended;
        // Writers that start after the held transaction got its (smaller) transaction id.
        const written = Array.from({ length: 10 }, () => newEvent());
        let committedWhileHeld = 0;
        const writers = Promise.all(
          written.map((event) =>
            append(newStreamId('writer'), [event], 'no_stream').then(() => {
              if (!held.released) committedWhileHeld += 1;
            }),
          ),
        );
        if (sql.kind === 'pg') {
          await writers;
          expect(committedWhileHeld).toBe(written.length); // they really committed before the held one
          await sleep(200);
          expect(received).toEqual([]); // their events are above every reader's horizon until it ends
        } else {
          // PGlite is one connection: the writers queue behind the held transaction. Let them try.
          await Promise.race([writers, sleep(200)]);
        }

        noteAppended((await held.release()).lastPosition);
        await writers;
        await waitFor(() => received.length >= written.length + 1);
        await sleep(150);

        expect(received).toHaveLength(written.length + 1);
        expect(new Set(received.map((event) => event.id))).toEqual(
          new Set([held.event.id, ...written.map((event) => event.id)]),
        );
        expect(received[0]!.id).toBe(held.event.id); // the oldest transaction comes first, although it committed last
        expectIncreasing(received);
      } finally {
        await held.release();
        await subscription.close();
      }
    }, 30_000);

    describe('readEvents', () => {
      const ids = async (query: EventQuery): Promise<string[]> =>
        (await store().readEvents(query)).map((event) => event.id);
      const collect = async (query: EventQuery): Promise<string[]> => {
        const found: string[] = [];
        for await (const event of eventsMatching(store(), query)) found.push(event.id);
        return found;
      };

      it('filters by account, stream, type, actor and time, each alone and together', async () => {
        const head = await settledHead();
        const [account, otherAccount] = [randomUUID(), randomUUID()];
        const [olivia, mike] = [`olivia-${randomUUID()}`, `mike-${randomUUID()}`];
        const accountStream = newStreamId('account');
        const accessStream = newStreamId('access');
        const created = accountEvent(account, {
          type: 'AccountCreated',
          actorId: olivia,
          occurredAt: '2024-01-01T00:00:00.000Z',
        });
        const changed = accountEvent(account, {
          type: 'RoleChanged',
          actorId: mike,
          occurredAt: '2024-01-02T00:00:00.000Z',
        });
        const elsewhere = accountEvent(otherAccount, {
          type: 'RoleChanged',
          actorId: olivia,
          occurredAt: '2024-01-02T12:00:00.000Z',
        });
        // Written with an offset: stored as 2024-01-03T00:30:00.000Z.
        const shared = accountEvent(account, {
          type: 'AccessShared',
          actorId: olivia,
          occurredAt: '2024-01-03T01:30:00+01:00',
        });
        const joined = accountEvent(account, {
          type: 'MemberJoined',
          actorId: mike,
          occurredAt: '2024-01-04T00:00:00.000Z',
        });
        await append(accountStream, [created, changed], 'no_stream');
        await append(newStreamId('account'), [elsewhere], 'no_stream');
        await append(accessStream, [shared], 'no_stream');
        await append(accountStream, [joined], 1);
        await untilVisible(lastAppended);
        const mine = { accountId: account, limit: 10 };

        expect(await ids(mine)).toEqual([created.id, changed.id, shared.id, joined.id]);
        expect(await ids({ ...mine, direction: 'backward' })).toEqual([joined.id, shared.id, changed.id, created.id]);
        expect(await ids({ streamId: accountStream, limit: 10 })).toEqual([created.id, changed.id, joined.id]);
        expect(await ids({ after: head, types: ['RoleChanged'], limit: 10 })).toEqual([changed.id, elsewhere.id]);
        expect(await ids({ ...mine, types: ['RoleChanged', 'MemberJoined'] })).toEqual([changed.id, joined.id]);
        expect(await ids({ ...mine, types: [] })).toHaveLength(4);
        expect(await ids({ after: head, actorId: olivia, limit: 10 })).toEqual([created.id, elsewhere.id, shared.id]);
        expect(await ids({ ...mine, actorId: mike, direction: 'backward' })).toEqual([joined.id, changed.id]);
        // from inclusive, to exclusive, compared as instants whatever their notation.
        expect(await ids({ ...mine, from: '2024-01-02T00:00:00Z', to: '2024-01-04T00:00:00.000Z' })).toEqual([
          changed.id,
          shared.id,
        ]);
        expect(await ids({ ...mine, from: '2024-01-02T01:00:00+01:00', to: '2024-01-03T00:30:00.001Z' })).toEqual([
          changed.id,
          shared.id,
        ]);
        expect(await ids({ ...mine, to: '2024-01-02T00:00:00.000Z' })).toEqual([created.id]);
        expect(await ids({ ...mine, streamId: accessStream, from: '2024-01-04T00:00:00.000Z' })).toEqual([]);
        // Whole envelopes, as readStream returns them.
        expect(await store().readEvents({ ...mine, streamId: accountStream, limit: 1 })).toEqual([
          (await store().readStream(accountStream))[0],
        ]);
      });

      it('pages with after, before and limit in both directions', async () => {
        const account = randomUUID();
        const events = Array.from({ length: 5 }, () => accountEvent(account));
        const positions: number[] = [];
        for (const event of events) positions.push((await append(newStreamId(), [event], 'no_stream')).lastPosition);
        await untilVisible(lastAppended);
        const all = events.map((event) => event.id);
        const mine = { accountId: account, limit: 2 };

        expect(await ids(mine)).toEqual(all.slice(0, 2));
        expect(await ids({ ...mine, after: positions[1] })).toEqual(all.slice(2, 4));
        expect(await ids({ ...mine, after: positions[3] })).toEqual(all.slice(4));
        expect(await ids({ ...mine, direction: 'backward' })).toEqual([all[4], all[3]]);
        expect(await ids({ ...mine, direction: 'backward', before: positions[3] })).toEqual([all[2], all[1]]);
        expect(await ids({ ...mine, direction: 'backward', before: positions[0] })).toEqual([]);
        expect(await ids({ ...mine, limit: 10, after: positions[0], before: positions[4] })).toEqual(all.slice(1, 4));
        expect(await ids({ ...mine, limit: 10, after: positions[1], direction: 'backward' })).toEqual(
          all.slice(2).reverse(),
        );
        expect(await collect(mine)).toEqual(all);
        expect(await collect({ ...mine, direction: 'backward' })).toEqual([...all].reverse());
        expect(await collect({ ...mine, limit: 5 })).toEqual(all);
      });

      it('refuses a limit, position or time that cannot be meant', async () => {
        await expect(store().readEvents({ limit: 0 })).rejects.toThrow(RangeError);
        await expect(store().readEvents({ limit: 1.5 })).rejects.toThrow(RangeError);
        await expect(store().readEvents({ limit: 1, after: -1 })).rejects.toThrow(RangeError);
        await expect(store().readEvents({ limit: 1, from: 'yesterday' })).rejects.toThrow(/not an ISO-8601/);
      });

      it('never shows, nor pages past, an event above the readers horizon, in either direction', async () => {
        const { sql } = context;
        const account = randomUUID();
        const held = holdAppendOpen(sql, newStreamId('held'), accountEvent(account));
        const later = accountEvent(account);
        let laterResult: AppendResult | undefined;
        try {
          await held.appended;
          if (sql.kind === 'pg') {
            laterResult = await append(newStreamId('later'), [later], 'no_stream');
            expect(await ids({ accountId: account, limit: 10 })).toEqual([]);
            expect(await ids({ accountId: account, limit: 10, direction: 'backward' })).toEqual([]);
            expect(await collect({ accountId: account, limit: 1 })).toEqual([]);
          }
          noteAppended((await held.release()).lastPosition);
          laterResult ??= await append(newStreamId('later'), [later], 'no_stream');
        } finally {
          await held.release();
        }
        await untilVisible(laterResult.lastPosition);

        expect(await ids({ accountId: account, limit: 10 })).toEqual([held.event.id, later.id]);
        expect(await ids({ accountId: account, limit: 10, direction: 'backward' })).toEqual([later.id, held.event.id]);
      }, 30_000);
    });

    it('never shows, nor lets a reader pass, an event of a still-open transaction; the committed head names it', async () => {
      const { sql } = context;
      const head = await settledHead();
      const held = holdAppendOpen(sql, newStreamId('held'));
      const laterStream = newStreamId('later');
      const later = newEvent();
      let laterResult: AppendResult | undefined;
      try {
        await held.appended;
        if (sql.kind === 'pg') {
          laterResult = await append(laterStream, [later], 'no_stream');
          // Committed, and its stream shows it (commands must decide on it)...
          expect((await store().readStream(laterStream)).map((event) => event.id)).toEqual([later.id]);
          // ...but the global order must not reach it before the older, open transaction ends:
          // a cursor taken now would skip the held event for ever.
          expect(await store().readAll(head, 100)).toEqual([]);
          expect(await store().headPosition()).toBe(head);
          // A process that must answer from everything committed before it started waits for it.
          expect(await store().committedHeadPosition()).toBe(laterResult.lastPosition);
        }
        noteAppended((await held.release()).lastPosition);
        // On PGlite (one connection, transactions serialize) the later append can only come now.
        laterResult ??= await append(laterStream, [later], 'no_stream');
      } finally {
        await held.release();
      }
      if (!laterResult) throw new Error('the later append did not run');
      await untilVisible(laterResult.lastPosition);

      const visible = await store().readAll(head, 100);
      expect(visible.map((event) => event.id)).toEqual([held.event.id, later.id]);
      expect(visible[1]!.globalPosition).toBe(laterResult.lastPosition);
      expect(await store().headPosition()).toBe(laterResult.lastPosition);
      expect(await store().committedHeadPosition()).toBe(laterResult.lastPosition);
    }, 30_000);
  });
}

/** A transaction that has appended one event and stays open until `release()`. */
function holdAppendOpen(sql: SqlClient, streamId: string, event: NewEvent = newEvent()) {
  const appended = deferred();
  const releaseSignal = deferred();
  const state = { released: false };
  const committed = sql.transaction(async (tx) => {
    const result = await appendWithin(tx, streamId, [event], 'no_stream', acceptAnyEvent);
    appended.resolve();
    await releaseSignal.promise;
    return result;
  });
  committed.catch((error: unknown) => appended.reject(error));
  return {
    event,
    appended: appended.promise,
    get released() {
      return state.released;
    },
    /** Commits the held transaction and waits for the commit. */
    async release(): Promise<AppendResult> {
      state.released = true;
      releaseSignal.resolve();
      return committed;
    },
  };
}

/** An event of `accountId` by `actorId` at `occurredAt`. */
function accountEvent(
  accountId: string,
  options: { readonly type?: string; readonly actorId?: string; readonly occurredAt?: string } = {},
): NewEvent {
  const event = newEvent({ type: options.type ?? 'SomethingHappened' });
  return {
    ...event,
    metadata: {
      ...event.metadata,
      accountId,
      actor: { userId: options.actorId ?? 'user-1', via: 'session' },
      occurredAt: options.occurredAt ?? event.metadata.occurredAt,
    },
  };
}

function newStreamId(category = 'test'): string {
  return `${category}-${randomUUID()}`;
}

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'SomethingHappened',
    data: { value: Math.random() },
    metadata: {
      accountId: null,
      actor: { userId: 'user-1', via: 'session' },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: '2024-01-02T03:04:05.678Z',
    },
    ...overrides,
  };
}

function envelopeOf(event: NewEvent, streamId: string, streamPosition: number, globalPosition: number): EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    streamId,
    streamPosition,
    globalPosition,
    occurredAt: event.metadata.occurredAt,
    accountId: event.metadata.accountId,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    data: event.data,
  };
}

async function expectConflict(
  append: Promise<unknown>,
  streamId: string,
  expected: ExpectedVersion,
  actual: number | 'no_stream',
): Promise<void> {
  const error = await failure(append);
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure, but it succeeded');
    },
    (error: unknown) => error,
  );
}

function expectIncreasing(events: readonly EventEnvelope[]): void {
  for (let i = 1; i < events.length; i += 1) {
    expect(events[i]!.globalPosition).toBeGreaterThan(events[i - 1]!.globalPosition);
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
