import type { CommandMetadata, Decider, DomainEvent, EventEnvelope } from '@accord/contracts';
import { WrongExpectedVersionError, type EventStore, type NewEvent } from './event-store';

export interface HandleOptions<Command, State, Event extends DomainEvent> {
  readonly streamId: string;
  readonly decider: Decider<Command, Event, State>;
  readonly metadata: CommandMetadata;
  /** Event ids: random for user commands; derived from the causing event for reactions, so a
   * redelivered cause re-appends the same ids and the store turns it into a no-op. */
  readonly eventId: (event: Event, index: number) => string;
  /** Upcast stored envelopes into domain events (identity while every event is schema 1). */
  readonly toDomain?: (envelope: EventEnvelope) => Event;
  readonly maxAttempts?: number;
}

export interface HandleResult<State, Event> {
  readonly events: readonly Event[];
  /** Global position of the last appended event, or the stream's last one when nothing changed. */
  readonly position: number;
  readonly state: State;
}

/**
 * Load the stream, fold it, decide, append with the version read. On a concurrent writer the
 * decision is retried against the new state (optimistic concurrency), so every rule is checked
 * against what is really stored — e.g. two accepts of one invitation yield one `InvitationAccepted`.
 */
export async function handleCommand<Command, State, Event extends DomainEvent>(
  store: EventStore,
  command: Command,
  options: HandleOptions<Command, State, Event>,
): Promise<HandleResult<State, Event>> {
  const { decider, streamId } = options;
  const toDomain = options.toDomain ?? ((e: EventEnvelope) => ({ type: e.type, data: e.data }) as Event);
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const stored = await store.readStream(streamId);
    const state = stored.map(toDomain).reduce(decider.evolve, decider.initialState());
    const events = decider.decide(command, state);
    const lastStored = stored.at(-1);
    if (events.length === 0) {
      return { events, position: lastStored?.globalPosition ?? 0, state };
    }
    const newEvents: NewEvent[] = events.map((event, index) => ({
      id: options.eventId(event, index),
      type: event.type,
      data: event.data,
      metadata: {
        accountId: accountIdOf(event),
        actor: options.metadata.actor,
        correlationId: options.metadata.correlationId,
        causationId: options.metadata.causationId ?? null,
        occurredAt: options.metadata.now,
      },
    }));
    try {
      const expected = lastStored ? lastStored.streamPosition : 'no_stream';
      const result = await store.append(streamId, newEvents, expected);
      return { events, position: result.lastPosition, state: events.reduce(decider.evolve, state) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < maxAttempts) continue;
      throw error;
    }
  }
}

/** Every Accord event names its account in `data.accountId`; the envelope repeats it for routing. */
function accountIdOf(event: DomainEvent): string | null {
  const data = event.data as { accountId?: unknown } | null;
  return typeof data?.accountId === 'string' ? data.accountId : null;
}
