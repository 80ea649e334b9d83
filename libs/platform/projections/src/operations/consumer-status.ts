import type { EventStore, SqlClient } from '@accord/eventstore';
import type { ConsumerFailure } from '@accord/messaging';
import { readConsumerFailures } from './consumer-failures';

/**
 * Events counted behind a checkpoint at most: the count walks the index, and past this many the
 * operator needs "very far behind", not the exact number.
 */
export const MAX_EVENTS_BEHIND_COUNTED = 100_000;

/** What a checkpoint name says it belongs to (`projection:…`, `consumer:…`, `relay:…`). */
export type ConsumerKind = 'projection' | 'reactor' | 'relay' | 'other';

/** One line of `accord projections status`. */
export interface ConsumerStatusRow {
  /** The checkpoint name, e.g. `projection:membership.members.v2`, `consumer:notification-mailer`. */
  readonly name: string;
  readonly kind: ConsumerKind;
  /** Global position applied up to; null when no checkpoint was ever written. */
  readonly checkpoint: number | null;
  /** The store's head position. */
  readonly head: number;
  /**
   * Events stored after the checkpoint (all types: the checkpoint moves over every event), counted
   * up to `MAX_EVENTS_BEHIND_COUNTED`. Positions are not dense (global-position.ts), so
   * `head - checkpoint` says nothing about how much work is left; this count does.
   */
  readonly eventsBehind: number;
  /** True when `eventsBehind` stopped at `MAX_EVENTS_BEHIND_COUNTED` (there are at least that many). */
  readonly eventsBehindCapped: boolean;
  /**
   * `failed`: stopped on an event (see `failure`) until started again. `running`: a checkpoint and
   * no recorded failure — this process cannot see whether its process is up right now.
   * `never started`: registered but no checkpoint and no failure (a JetStream reactor of the
   * services profile keeps its cursor in JetStream, and shows so too unless it failed).
   */
  readonly state: 'running' | 'failed' | 'never started';
  readonly failure?: ConsumerFailure;
}

/**
 * The status of every consumer the store knows of — each checkpoint row (projections, reactors of
 * the embedded profile, the relay) and each recorded failure — plus `names` (checkpoint names of
 * the consumers the platform registers) that never ran. Sorted by name.
 */
export async function readModelStatus(
  sql: SqlClient,
  store: EventStore,
  names: readonly string[],
): Promise<ConsumerStatusRow[]> {
  const head = await store.headPosition();
  const { rows } = await sql.query<{ name: string; position: string | number }>(
    `SELECT name, position FROM checkpoints ORDER BY name`,
  );
  const checkpoints = new Map(rows.map((r) => [r.name, Number(r.position)]));
  const failures = new Map((await readConsumerFailures(sql)).map(({ name, ...failure }) => [name, failure]));
  const all = [...new Set([...checkpoints.keys(), ...failures.keys(), ...names])].sort();
  const out: ConsumerStatusRow[] = [];
  for (const name of all) {
    const checkpoint = checkpoints.get(name) ?? null;
    const failure = failures.get(name);
    const behind = await eventsAfter(sql, checkpoint ?? 0, head);
    out.push({
      name,
      kind: kindOf(name),
      checkpoint,
      head,
      eventsBehind: behind,
      eventsBehindCapped: behind >= MAX_EVENTS_BEHIND_COUNTED,
      state: failure ? 'failed' : checkpoint === null ? 'never started' : 'running',
      ...(failure ? { failure } : {}),
    });
  }
  return out;
}

/** The kind a checkpoint name's prefix gives. */
export function kindOf(name: string): ConsumerKind {
  if (name.startsWith('projection:')) return 'projection';
  if (name.startsWith('consumer:')) return 'reactor';
  if (name.startsWith('relay:')) return 'relay';
  return 'other';
}

/** Events in (after, head], counted up to the cap: a bounded index range scan of the store's table. */
async function eventsAfter(sql: SqlClient, after: number, head: number): Promise<number> {
  if (head <= after) return 0;
  const { rows } = await sql.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM (
       SELECT 1 FROM events WHERE global_position > $1 AND global_position <= $2 LIMIT $3
     ) AS behind`,
    [after, head, MAX_EVENTS_BEHIND_COUNTED],
  );
  return Number(rows[0]?.n ?? 0);
}
