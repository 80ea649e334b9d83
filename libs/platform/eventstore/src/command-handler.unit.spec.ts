import type { CommandMetadata, Decider, DomainEvent, EventEnvelope } from '@accord/contracts';
import { commandHandlerFor } from './command-handler';
import { derivedEventId } from './event-ids';
import type { AppendResult, EventStore, ExpectedVersion, NewEvent } from './event-store';

// A counter aggregate: `Add` appends one `Added` per unit asked for.
type Added = DomainEvent<'Added', { readonly accountId: string }>;
type Add = { readonly type: 'Add'; readonly units: number };
const counter: Decider<Add, Added, number> = {
  decide: (command) => Array.from({ length: command.units }, () => ({ type: 'Added', data: { accountId: 'acc1' } })),
  evolve: (count) => count + 1,
  initialState: () => 0,
};

/** Records what is appended where; every stream starts empty. */
function recordingStore() {
  const appended: { streamId: string; events: readonly NewEvent[]; expected: ExpectedVersion }[] = [];
  const store: EventStore = {
    append: async (streamId, events, expected): Promise<AppendResult> => {
      appended.push({ streamId, events, expected });
      return { nextExpectedVersion: events.length - 1, lastPosition: 41 + events.length };
    },
    readStream: async (): Promise<EventEnvelope[]> => [],
    readAll: async () => [],
    readEvents: async () => [],
    subscribeAll: () => ({ close: async () => undefined }),
    subscribeAllBatches: () => ({ close: async () => undefined }),
    headPosition: async () => 0,
    committedHeadPosition: async () => 0,
    close: async () => undefined,
  };
  return { store, appended };
}

const userCommand: CommandMetadata = {
  actor: { userId: 'u-root', via: 'session' },
  now: '2026-11-23T10:00:00.000Z',
  correlationId: 'req-1',
};
const reaction: CommandMetadata = { ...userCommand, causationId: 'cause-event-1' };
const ids = (events: readonly NewEvent[]) => events.map((e) => e.id);

describe('commandHandlerFor (load → decide → append, one event-id rule)', () => {
  it('appends the decided events to the stream named by the id, and answers state and position', async () => {
    const { store, appended } = recordingStore();
    const handle = commandHandlerFor(store, { decider: counter, streamOf: (id) => `counter-${id}` });
    const result = await handle('c1', userCommand, { type: 'Add', units: 2 });
    expect(appended.map((a) => [a.streamId, a.expected, a.events.length])).toEqual([['counter-c1', 'no_stream', 2]]);
    expect(result).toMatchObject({ state: 2, position: 43 });
    expect(appended[0]!.events[0]!.metadata).toEqual({
      accountId: 'acc1',
      actor: userCommand.actor,
      correlationId: 'req-1',
      causationId: null,
      occurredAt: userCommand.now,
    });
  });

  it("a user's command gets fresh random ids each time", async () => {
    const { store, appended } = recordingStore();
    const handle = commandHandlerFor(store, { decider: counter, streamOf: (id) => `counter-${id}` });
    await handle('c1', userCommand, { type: 'Add', units: 1 });
    await handle('c1', userCommand, { type: 'Add', units: 1 });
    expect(ids(appended[0]!.events)[0]).not.toEqual(ids(appended[1]!.events)[0]);
  });

  it('a reaction gets ids derived from its cause: a redelivered cause re-appends the same ids', async () => {
    const { store, appended } = recordingStore();
    const handle = commandHandlerFor(store, { decider: counter, streamOf: (id) => `counter-${id}` });
    await handle('c1', reaction, { type: 'Add', units: 2 });
    await handle('c1', reaction, { type: 'Add', units: 2 });
    const derived = derivedEventId('cause-event-1');
    expect(ids(appended[0]!.events)).toEqual([derived(null, 0), derived(null, 1)]);
    expect(ids(appended[1]!.events)).toEqual(ids(appended[0]!.events));
    expect(appended[0]!.events[0]!.metadata.causationId).toBe('cause-event-1');
  });

  it('with idsPerAggregate, one cause writing to two streams gets different ids in each (stable per stream)', async () => {
    const { store, appended } = recordingStore();
    const handle = commandHandlerFor(store, {
      decider: counter,
      streamOf: (id) => `counter-${id}`,
      idsPerAggregate: true,
    });
    await handle('c1', reaction, { type: 'Add', units: 1 });
    await handle('c2', reaction, { type: 'Add', units: 1 });
    expect(ids(appended[0]!.events)).toEqual([derivedEventId('cause-event-1/c1')(null, 0)]);
    expect(ids(appended[1]!.events)).toEqual([derivedEventId('cause-event-1/c2')(null, 0)]);
  });

  it('a decision of no events appends nothing', async () => {
    const { store, appended } = recordingStore();
    const handle = commandHandlerFor(store, { decider: counter, streamOf: (id) => `counter-${id}` });
    expect(await handle('c1', reaction, { type: 'Add', units: 0 })).toEqual({ events: [], position: 0, state: 0 });
    expect(appended).toEqual([]);
  });
});
