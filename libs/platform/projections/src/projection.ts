import type { EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';

/** A read model fed by events. `apply` runs inside the transaction that also moves the checkpoint. */
export interface Projection {
  /** Checkpoint name; change it to rebuild the read model from position 0 under a new name. */
  readonly name: string;
  /** Event types this projection reads (others only move the checkpoint). */
  readonly types: readonly string[];
  /** Create the read-model tables (idempotent). */
  setup(sql: SqlClient): Promise<void>;
  apply(tx: SqlClient, event: EventEnvelope): Promise<void>;
  /** Empty the read-model tables, for a rebuild. */
  reset(tx: SqlClient): Promise<void>;
}
