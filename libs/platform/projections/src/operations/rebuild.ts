import { asAccordEnvelope, type AccordEnvelope, type EventEnvelope } from '@accord/contracts';
import { PostgresEventStore, type EventStore, type SqlClient } from '@accord/eventstore';
import { applyInOrder, type EnvelopeReader, type Projection } from '../projection';
import { lockRebuild, type RebuildLock } from './rebuild-lock';
import { quoteIdent, recreateSchema, shadowSchemaName, tablesIn, useShadow } from './shadow-schema';

/** Events read (and applied in one transaction) per page, as the runner's reads. */
const EVENTS_PER_PAGE = 500;

/** A read model rebuilt into its shadow schema, not yet compared or swapped. */
export interface ShadowBuild<E extends EventEnvelope = AccordEnvelope> {
  readonly projection: Projection<E>;
  readonly read: EnvelopeReader<E>;
  /** The shadow schema holding the rebuilt tables. */
  readonly schema: string;
  /** The tables compared and swapped: those the projection's setup creates, minus `notProjected`. */
  readonly tables: readonly string[];
  /** Every event up to this global position is applied in the shadow (moves on when caught up). */
  position: number;
  /** This build's hold on the shadow schema; released when the shadow is swapped in or discarded. */
  readonly lock: RebuildLock;
}

export interface RebuildOptions<E extends EventEnvelope = AccordEnvelope> {
  /** Called after each page: events read so far and events to read (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  /** How a stored envelope becomes what the projection reads; default `asAccordEnvelope`, as the runner. */
  readonly read?: EnvelopeReader<E>;
  /**
   * Tables the setup creates that events do not derive (state a reader keeps beside the read
   * model, e.g. read marks): neither compared nor swapped, so they keep their live rows.
   */
  readonly notProjected?: readonly string[];
}

/** The position `projection`'s runner has applied up to (0 when it never ran). */
export function projectionCheckpointName(projectionName: string): string {
  return `projection:${projectionName}`;
}

/**
 * Rebuilds `projection` from position 0 into a fresh shadow schema, up to the live checkpoint as
 * read at the start (so the comparison that follows compares like with like; it catches up the
 * rest under the checkpoint's lock). Pages of events are applied in one transaction each, the way
 * the runner applies them (`applyInOrder`, only the types it reads). The live tables and the
 * checkpoint are only read. One rebuild per projection at a time: while this build lives (until
 * `swapReadModel` or `discardShadow`), another rebuild of it is refused at once with a `conflict`
 * (`REBUILD_ALREADY_RUNNING`) and its shadow is left alone.
 */
export async function rebuildReadModel<E extends EventEnvelope = AccordEnvelope>(
  sql: SqlClient,
  store: EventStore,
  projection: Projection<E>,
  options: RebuildOptions<E> = {},
): Promise<ShadowBuild<E>> {
  const schema = shadowSchemaName(projection.name);
  const lock = await lockRebuild(sql, schema, projection.name);
  try {
    await recreateSchema(sql, schema);
    await sql.transaction(async (tx) => {
      await useShadow(tx, schema);
      await projection.setup(tx);
    });
    const notProjected = new Set(options.notProjected ?? []);
    const build: ShadowBuild<E> = {
      projection,
      read: options.read ?? (asAccordEnvelope as EnvelopeReader<E>),
      schema,
      tables: (await tablesIn(sql, schema)).filter((t) => !notProjected.has(t)),
      position: 0,
      lock,
    };
    const target = await liveCheckpoint(sql, projection.name);
    const total = await eventsUpTo(sql, target);
    let done = 0;
    options.onProgress?.(done, total);
    await feed(sql, store, build, target, (page) => {
      done += page;
      options.onProgress?.(done, total);
    });
    return build;
  } catch (error) {
    // A half-built shadow is of no use to anyone; dropped before the lock goes, so no other
    // rebuild's shadow is ever dropped.
    await sql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
    await lock.release();
    throw error;
  }
}

/** Throws unless `build` still holds its shadow: a swapped or discarded build's schema may be another rebuild's. */
export function assertHeld<E extends EventEnvelope>(build: ShadowBuild<E>): void {
  if (!build.lock.held)
    throw new Error(`The rebuild of ${build.projection.name} is over (swapped or discarded): rebuild again`);
}

/**
 * Applies the events after `build.position` up to `target` into the shadow, a page per
 * transaction of `sql` — or all within `sql` when it is a transaction (the catch-up under the
 * checkpoint's lock), reading through `store`.
 */
export async function feed<E extends EventEnvelope>(
  sql: SqlClient,
  store: EventStore,
  build: ShadowBuild<E>,
  target: number,
  onPage?: (events: number) => void,
): Promise<void> {
  const types = new Set<string>(build.projection.types);
  while (build.position < target) {
    const page = await store.readAll(build.position, EVENTS_PER_PAGE);
    const within = page.filter((e) => e.globalPosition <= target);
    const reads = within
      .filter((e) => types.has(e.type))
      .map((e) => build.read(e))
      .filter((e): e is E => e !== null);
    if (reads.length > 0)
      await sql.transaction(async (tx) => {
        await useShadow(tx, build.schema);
        await applyInOrder(build.projection, tx, reads);
      });
    onPage?.(within.length);
    // A page reaching past the target, or nothing more to read: everything up to it is applied.
    if (within.length < page.length) build.position = target;
    else if (page.length === 0) return;
    else build.position = within.at(-1)!.globalPosition;
  }
}

/** Catch-up inside `tx`: reads the store through the transaction itself (PGlite has one connection). */
export function feedWithin<E extends EventEnvelope>(tx: SqlClient, build: ShadowBuild<E>, target: number) {
  return feed(tx, new PostgresEventStore(tx), build, target);
}

/** The live checkpoint of `projectionName`; 0 when its runner never started. */
export async function liveCheckpoint(sql: SqlClient, projectionName: string, lock = false): Promise<number> {
  const { rows } = await sql.query<{ position: string | number }>(
    `SELECT position FROM checkpoints WHERE name = $1${lock ? ' FOR UPDATE' : ''}`,
    [projectionCheckpointName(projectionName)],
  );
  return Number(rows[0]?.position ?? 0);
}

async function eventsUpTo(sql: SqlClient, position: number): Promise<number> {
  const { rows } = await sql.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM events WHERE global_position <= $1`,
    [position],
  );
  return Number(rows[0]?.n ?? 0);
}
