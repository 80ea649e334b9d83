import type { SqlClient } from '@accord/eventstore';
import { EVENTS_PER_KIND, isCommandKind } from '../load/kinds';
import type { RecordedRequest } from '../ports';
import { examples, type CheckOutcome } from './check';

interface CommandEventRow {
  readonly correlation_id: string;
  readonly event_id: string;
  readonly type: string;
}

/**
 * Every command the load sent left exactly what its answer says in the store. Its events are those
 * with `metadata->>'correlationId'` = its `x-request-id` and no causation id (reactions carry the
 * event that caused them):
 * - 2xx: exactly the events its kind appends (`EVENTS_PER_KIND`), each event id once;
 * - 4xx: none (a refused command changes nothing);
 * - 503, other 5xx, timeout / transport error: none or the kind's one set, never two (no doubled
 *   command), never part of one.
 * Counts: `commands`, `missing` (2xx commands without their events: events lost), `doubled`.
 */
export async function commandsHaveTheirEvents(
  records: readonly RecordedRequest[],
  sql: SqlClient,
): Promise<CheckOutcome> {
  const commands = records.filter((r) => isCommandKind(r.kind));
  const byCorrelation = new Map<string, CommandEventRow[]>();
  const ids = commands.map((r) => r.requestId.toLowerCase());
  for (let start = 0; start < ids.length; start += 1000) {
    const { rows } = await sql.query<CommandEventRow>(
      `SELECT metadata->>'correlationId' AS correlation_id, event_id, type FROM events
        WHERE metadata->>'correlationId' = ANY($1::text[])
          AND (metadata->>'causationId') IS NULL
        ORDER BY global_position`,
      [ids.slice(start, start + 1000)],
    );
    for (const row of rows) {
      const list = byCorrelation.get(row.correlation_id) ?? [];
      list.push(row);
      byCorrelation.set(row.correlation_id, list);
    }
  }

  const missing: string[] = [];
  const wrong: string[] = [];
  const refusedButAppended: string[] = [];
  const doubled: string[] = [];
  const duplicateIds: string[] = [];
  for (const record of commands) {
    const expected = EVENTS_PER_KIND[record.kind] ?? [];
    const found = byCorrelation.get(record.requestId.toLowerCase()) ?? [];
    const types = found.map((e) => e.type);
    const label = `${record.kind} ${record.requestId} (${record.status || record.error})`;
    if (new Set(found.map((e) => e.event_id)).size !== found.length) duplicateIds.push(label);
    const isSet = sameMultiset(types, expected);
    if (record.status >= 200 && record.status < 300) {
      if (found.length === 0) missing.push(label);
      else if (!isSet) wrong.push(`${label}: ${types.join(', ')} where ${expected.join(', ')} was expected`);
    } else if (record.status >= 400 && record.status < 500) {
      if (found.length > 0) refusedButAppended.push(`${label}: ${types.join(', ')}`);
    } else if (found.length > 0 && !isSet) {
      // 5xx or no answer: the command may have run once (then its whole set is there) or not at all.
      (found.length > expected.length ? doubled : wrong).push(`${label}: ${types.join(', ')}`);
    }
  }

  const failures: string[] = [];
  if (missing.length > 0)
    failures.push(`${missing.length} answered 2xx but appended nothing: ${examples(missing, (s) => s)}`);
  if (wrong.length > 0)
    failures.push(`${wrong.length} appended other events than their kind: ${examples(wrong, (s) => s)}`);
  if (refusedButAppended.length > 0) {
    failures.push(
      `${refusedButAppended.length} answered 4xx but appended events: ${examples(refusedButAppended, (s) => s)}`,
    );
  }
  if (doubled.length > 0)
    failures.push(`${doubled.length} unanswered commands ran twice: ${examples(doubled, (s) => s)}`);
  if (duplicateIds.length > 0)
    failures.push(`${duplicateIds.length} commands have an event id twice: ${examples(duplicateIds, (s) => s)}`);
  return {
    check: 'commands have their events',
    failures,
    counts: { commands: commands.length, missing: missing.length, doubled: doubled.length },
  };
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (xs: readonly string[]) => [...xs].sort().join('\n');
  return sorted(a) === sorted(b);
}
