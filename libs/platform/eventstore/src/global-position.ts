/**
 * GLOBAL POSITIONS (DESIGN.md "Event store semantics").
 *
 * A bigserial does not work: sequence numbers are taken in INSERT order but rows become visible in
 * COMMIT order. A reader that has seen position 11 (committed) while 10 is still in flight moves
 * its cursor past 10 and never sees it. So instead, as in Emmett and postgresql-event-sourcing:
 *
 *   global_position = pg_current_xact_id() * 65536 + index of the event within its append
 *
 * and readers only read below   pg_snapshot_xmin(pg_current_snapshot()) * 65536.
 *
 * The snapshot's xmin is the oldest transaction still running (or that could still commit). Every
 * transaction with a smaller id has ended, so all events below the horizon are committed and
 * visible in the same snapshot, and every transaction that has not ended, or has not started
 * yet, has an id >= xmin: its events land above every cursor. A cursor therefore never passes an
 * event that could still appear. Folding (transaction id, index) into one number keeps a single
 * comparable position for consumers, checkpoints and read-your-writes (`minPosition`).
 *
 * Costs: positions are not dense, and a long transaction that holds an xid (any write in this
 * database, not only appends) holds readers back until it ends. This is why an append must be
 * the first write of its transaction: the xid is assigned at the first write, so writing first
 * keeps the window in which this transaction holds readers back as short as possible, and it
 * guarantees one append per transaction (a second one would reuse the same positions).
 * Positions stay exact JS numbers while xid8 < 2^37 (~137 billion transactions); past that,
 * reading a position throws instead of rounding (safe-integer.ts).
 */
export const EVENTS_PER_TRANSACTION = 65_536;

/** The index is 0..n-1 and must stay below EVENTS_PER_TRANSACTION. */
export const MAX_EVENTS_PER_APPEND = EVENTS_PER_TRANSACTION - 1;

/** Position of event 0 of the current transaction's append (assigns the xid if it has none). */
export const TRANSACTION_BASE_POSITION_SQL = `(pg_current_xact_id()::text::bigint * ${EVENTS_PER_TRANSACTION})`;

/** Readers see only positions strictly below this (first position of the oldest running transaction). */
export const VISIBLE_HORIZON_SQL = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${EVENTS_PER_TRANSACTION})`;
