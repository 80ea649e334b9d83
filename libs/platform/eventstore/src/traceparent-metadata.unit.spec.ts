import type { CommandMetadata, Decider, DomainEvent, EventEnvelope } from '@accord/contracts';
import { validateAppend } from './append-validation';
import { handleCommand } from './command-handler';
import { randomEventId } from './event-ids';
import type { EventStore, NewEvent } from './event-store';

type Opened = DomainEvent<'Opened', { readonly accountId: string }>;
const opener: Decider<{ readonly type: 'Open' }, Opened, null> = {
  decide: () => [{ type: 'Opened', data: { accountId: 'acc1' } }],
  evolve: (state) => state,
  initialState: () => null,
};

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const metadata: CommandMetadata = {
  actor: { userId: 'u-1', via: 'session' },
  now: '2026-11-23T10:00:00.000Z',
  correlationId: 'req-1',
};

/** The metadata `handleCommand` appends for a command with `traceparent`. */
async function appendedMetadata(traceparent?: string): Promise<NewEvent['metadata']> {
  const appended: NewEvent[] = [];
  const store = {
    readStream: async (): Promise<EventEnvelope[]> => [],
    append: async (_streamId: string, events: readonly NewEvent[]) => {
      appended.push(...events);
      return { nextExpectedVersion: 0, lastPosition: 1 };
    },
  } as unknown as EventStore;
  await handleCommand(store, { type: 'Open' } as const, {
    streamId: 'account-acc1',
    decider: opener,
    metadata: traceparent === undefined ? metadata : { ...metadata, traceparent },
    eventId: () => randomEventId(),
  });
  return appended[0]!.metadata;
}

describe('the traceparent of a command in its events’ metadata', () => {
  it('is stored on every event the command appends', async () => {
    expect((await appendedMetadata(TRACEPARENT)).traceparent).toBe(TRACEPARENT);
  });

  it('is absent when the command had none (the envelope keeps its old shape)', async () => {
    expect(await appendedMetadata()).not.toHaveProperty('traceparent');
  });

  it('is dropped, not stored and not failing the command, when malformed', async () => {
    expect(await appendedMetadata('00-XYZ')).not.toHaveProperty('traceparent');
  });

  it('is refused by the store when malformed (only a W3C traceparent rides on the public envelope)', () => {
    const event = (traceparent: string): NewEvent => ({
      id: randomEventId(),
      type: 'Opened',
      data: { accountId: 'acc1' },
      metadata: {
        accountId: 'acc1',
        actor: metadata.actor,
        correlationId: 'req-1',
        causationId: null,
        occurredAt: metadata.now,
        traceparent,
      },
    });
    const accept = () => ({ ok: true }) as const;
    expect(() => validateAppend('account-acc1', [event(TRACEPARENT)], 'any', accept)).not.toThrow();
    expect(() => validateAppend('account-acc1', [event('00-XYZ')], 'any', accept)).toThrow(/traceparent/);
  });
});
