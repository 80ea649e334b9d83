import type { AccordEnvelope, EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';

/**
 * A read model fed by events. `apply` runs inside the transaction that also moves the checkpoint.
 * It reads Accord events (`AccordEnvelope`: a `switch (event.type)` narrows `event.data`); a
 * projection of other events gives its runner a `read` option.
 */
export interface Projection<E extends EventEnvelope = AccordEnvelope> {
  /** Checkpoint name; change it to rebuild the read model from position 0 under a new name. */
  readonly name: string;
  /** Event types this projection reads (others only move the checkpoint). */
  readonly types: readonly E['type'][];
  /** Create the read-model tables (idempotent). */
  setup(sql: SqlClient): Promise<void>;
  apply(tx: SqlClient, event: E): Promise<void>;
  /**
   * Optional: `events` in order, with exactly the effect of `apply` on each. A projection offers it
   * when it can write many rows in one statement, which is what makes a rebuild or a catch-up fast
   * (a statement per event costs a round trip per event).
   */
  applyBatch?(tx: SqlClient, events: readonly E[]): Promise<void>;
  /** Empty the read-model tables, for a rebuild. */
  reset(tx: SqlClient): Promise<void>;
}

/** Turns a stored envelope into the event a projection reads, or null: not one (only the checkpoint moves). */
export type EnvelopeReader<E extends EventEnvelope> = (envelope: EventEnvelope) => E | null;

/** `events` into `projection` in order: its `applyBatch` when it offers one, else `apply` one by one. */
export async function applyInOrder<E extends EventEnvelope>(
  projection: Projection<E>,
  tx: SqlClient,
  events: readonly E[],
): Promise<void> {
  if (projection.applyBatch) await projection.applyBatch(tx, events);
  else for (const event of events) await projection.apply(tx, event);
}
