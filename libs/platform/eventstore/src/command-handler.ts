import {
  parseTraceparent,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
  type EventEnvelope,
} from '@accord/contracts';
import { WrongExpectedVersionError, type EventStore, type NewEvent } from './event-store';
import { derivedEventId, randomEventId } from './event-ids';

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
/**
 * The state a decider folds from a stored stream. The one place stored envelopes become the
 * decider's events: the store validated each one against its event type's schema before append.
 */
export function foldStream<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, Event, State>,
  stored: readonly EventEnvelope[],
  toDomain: (envelope: EventEnvelope) => Event = (e) => ({ type: e.type, data: e.data }) as Event,
): State {
  return stored.map(toDomain).reduce(decider.evolve, decider.initialState());
}

export async function handleCommand<Command, State, Event extends DomainEvent>(
  store: EventStore,
  command: Command,
  options: HandleOptions<Command, State, Event>,
): Promise<HandleResult<State, Event>> {
  const { decider, streamId } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const stored = await store.readStream(streamId);
    const state = foldStream(decider, stored, options.toDomain);
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
        // A malformed trace context is dropped, never stored: it must not fail the command.
        ...(parseTraceparent(options.metadata.traceparent) ? { traceparent: options.metadata.traceparent } : {}),
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

/** Which event ids a decision's events get (see `HandleOptions.eventId`). */
export type EventIdRule = (event: DomainEvent, index: number) => string;

export interface CommandHandlerOptions<Command, State, Event extends DomainEvent> {
  readonly decider: Decider<Command, Event, State>;
  /** The stream of the aggregate the use case names by id (`streams.account`, `streams.token`, …). */
  readonly streamOf: (id: string) => string;
  /**
   * Derive a reaction's event ids from its cause AND the aggregate's id. Needed when one cause
   * writes to several streams of this handler (one member gone, each of their tokens revoked):
   * without the id, two streams would get the same event ids.
   */
  readonly idsPerAggregate?: boolean;
}

/** A use case's way into its aggregate: `(id, metadata, command)` → load, decide, append. */
export type CommandHandler<Command, State, Event> = (
  id: string,
  metadata: CommandMetadata,
  command: Command,
) => Promise<HandleResult<State, Event>>;

/**
 * The one wrapper around `handleCommand` every service uses. The event-id rule lives here: a
 * command caused by an event (a reaction, `metadata.causationId` set) gets ids derived from that
 * cause, so a redelivered cause re-appends the same ids and the store makes it a no-op; a user's
 * command gets fresh random ids.
 */
export function commandHandlerFor<Command, State, Event extends DomainEvent>(
  store: EventStore,
  options: CommandHandlerOptions<Command, State, Event>,
): CommandHandler<Command, State, Event> {
  const { decider, streamOf, idsPerAggregate = false } = options;
  return (id, metadata, command) => {
    const cause = metadata.causationId && (idsPerAggregate ? `${metadata.causationId}/${id}` : metadata.causationId);
    const eventId = cause ? derivedEventId(cause) : randomEventId;
    return handleCommand(store, command, { streamId: streamOf(id), decider, metadata, eventId });
  };
}

/** The handler type of a decider: `CommandHandlerOf<typeof accountDecider>`. */
export type CommandHandlerOf<D> =
  D extends Decider<infer Command, infer Event, infer State> ? CommandHandler<Command, State, Event> : never;
