import type { EventQuery } from './event-store';
import { EVENT_COLUMNS } from './event-rows';
import { VISIBLE_HORIZON_SQL } from './global-position';

/** A parameterized statement: the text never holds a value of the query. */
export interface QuerySql {
  readonly text: string;
  readonly params: readonly unknown[];
}

/**
 * The statement of `EventStore.readEvents`: the filters in WHERE, every value a parameter.
 *
 * The horizon (global-position.ts) is applied as in `readAll`. Forward, the events above it are the
 * last ones of the order, so taking `limit` rows first and dropping those above it afterwards gives
 * the same rows as filtering first, with a plan that stops after `limit` rows. Backward they would
 * come first, so there it must be a condition of the scan itself.
 */
export function eventQuerySql(query: EventQuery): QuerySql {
  validateEventQuery(query);
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  if (query.accountId !== undefined) conditions.push(`metadata->>'accountId' = ${param(query.accountId)}`);
  if (query.streamId !== undefined) conditions.push(`stream_id = ${param(query.streamId)}`);
  if (query.types !== undefined && query.types.length > 0)
    conditions.push(`type = ANY(${param([...query.types])}::text[])`);
  if (query.actorId !== undefined) conditions.push(`metadata->'actor'->>'userId' = ${param(query.actorId)}`);
  // As instants, not as text: a stored occurredAt is ISO UTC with milliseconds, but a bound may be
  // written with an offset or without milliseconds.
  if (query.from !== undefined)
    conditions.push(`(metadata->>'occurredAt')::timestamptz >= ${param(toIso(query.from))}::timestamptz`);
  if (query.to !== undefined)
    conditions.push(`(metadata->>'occurredAt')::timestamptz < ${param(toIso(query.to))}::timestamptz`);
  if (query.after !== undefined) conditions.push(`global_position > ${param(query.after)}`);
  if (query.before !== undefined) conditions.push(`global_position < ${param(query.before)}`);

  if (query.direction === 'backward') {
    conditions.push(`global_position < (SELECT ${VISIBLE_HORIZON_SQL})`);
    return {
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')}
             ORDER BY global_position DESC LIMIT ${param(query.limit)}`,
      params,
    };
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return {
    text: `SELECT * FROM (
             SELECT ${EVENT_COLUMNS} FROM events ${where} ORDER BY global_position LIMIT ${param(query.limit)}
           ) AS next WHERE global_position < (SELECT ${VISIBLE_HORIZON_SQL})
           ORDER BY global_position`,
    params,
  };
}

/** Refuses a query that cannot be meant (RangeError), before any SQL runs. */
function validateEventQuery(query: EventQuery): void {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${query.limit}`);
  for (const name of ['after', 'before'] as const) {
    const value = query[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (query.direction !== undefined && query.direction !== 'forward' && query.direction !== 'backward')
    throw new RangeError(`direction must be 'forward' or 'backward', got ${String(query.direction)}`);
}

function toIso(instant: string): string {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) throw new RangeError(`"${instant}" is not an ISO-8601 timestamp`);
  return new Date(time).toISOString();
}
