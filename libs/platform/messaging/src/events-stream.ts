import { EVENT_CONTEXT, EVENTS_STREAM, EVENTS_SUBJECT_ROOT } from '@accord/contracts';
import type { JetStreamManager, NatsError, StreamConfig } from 'nats';
import { nanos, RetentionPolicy, StorageType } from 'nats';

/** Where the events live in JetStream. Defaults are the contract's; tests use a per-run pair. */
export interface EventsStreamOptions {
  /** JetStream stream name; default `ACCORD_EVENTS`. */
  readonly streamName?: string;
  /** Subject root; events go to `<root>.<context>.<EventType>`; default `accord.events`. */
  readonly subjectRoot?: string;
}

export interface ResolvedEventsStream {
  readonly streamName: string;
  readonly subjectRoot: string;
}

export function resolveEventsStream(options: EventsStreamOptions = {}): ResolvedEventsStream {
  return { streamName: options.streamName ?? EVENTS_STREAM, subjectRoot: options.subjectRoot ?? EVENTS_SUBJECT_ROOT };
}

/** The bounded context of an event type, per the contract; `unknown` for types it does not list. */
export function contextOfEventType(type: string): string {
  return (EVENT_CONTEXT as Readonly<Record<string, string>>)[type] ?? 'unknown';
}

/**
 * A subject token may not contain `.`, `*`, `>` or whitespace: one stray character in a type name
 * would move the event out of every consumer's filter. Relay and consumers share this function,
 * so they always agree on the subject.
 */
export function subjectToken(value: string): string {
  return value.replace(/[.*>\s]/g, '_') || '_';
}

export function eventSubjectFor(subjectRoot: string, context: string, type: string): string {
  return `${subjectRoot}.${subjectToken(context)}.${subjectToken(type)}`;
}

/** A filter matching one event type whatever its context, so consumers need no context table. */
export function eventTypeFilter(subjectRoot: string, type: string): string {
  return `${subjectRoot}.*.${subjectToken(type)}`;
}

export interface EnsureStreamOptions extends ResolvedEventsStream {
  /** Republished ids inside this window are dropped by JetStream (relay crash between publish and checkpoint). */
  readonly duplicateWindowMs: number;
  readonly replicas?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

function streamConfig(options: EnsureStreamOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: options.streamName,
    subjects: [`${options.subjectRoot}.>`],
    // File storage: the stream outlives a NATS restart; the event store stays the source of truth.
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(options.duplicateWindowMs),
    num_replicas: options.replicas ?? 1,
  };
}

/**
 * Creates the stream or brings its subjects/dedup window to what the relay expects. Only the relay
 * calls this (it owns the stream's shape); consumers call `ensureEventsStreamExists`.
 */
export async function ensureEventsStream(jsm: JetStreamManager, options: EnsureStreamOptions): Promise<void> {
  const wanted = streamConfig(options);
  const current = await streamInfoOrNull(jsm, options.streamName);
  if (!current) {
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (error) {
      // Lost a creation race with another process: fall through to the update path.
      if (!(await streamInfoOrNull(jsm, options.streamName))) throw error;
    }
  }
  const info = await jsm.streams.info(options.streamName);
  const sameSubjects = JSON.stringify(info.config.subjects ?? []) === JSON.stringify(wanted.subjects);
  if (!sameSubjects || info.config.duplicate_window !== wanted.duplicate_window) {
    await jsm.streams.update(options.streamName, {
      subjects: wanted.subjects,
      duplicate_window: wanted.duplicate_window,
    });
  }
}

/** Creates the stream with the default shape only if it is missing: a consumer may start before the relay. */
export async function ensureEventsStreamExists(jsm: JetStreamManager, options: EnsureStreamOptions): Promise<void> {
  if (await streamInfoOrNull(jsm, options.streamName)) return;
  try {
    await jsm.streams.add(streamConfig(options));
  } catch (error) {
    if (!(await streamInfoOrNull(jsm, options.streamName))) throw error;
  }
}

async function streamInfoOrNull(jsm: JetStreamManager, name: string) {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** JetStream "stream not found" / "consumer not found" (API error 404). */
export function isNotFound(error: unknown): boolean {
  const apiError = (error as NatsError | undefined)?.api_error;
  return apiError?.code === 404 || /not found/i.test((error as Error | undefined)?.message ?? '');
}
