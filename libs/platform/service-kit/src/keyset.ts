/**
 * A `timestamptz` column as a page key value (`PAGE_KEY_INSTANT`): UTC with microseconds, so a key
 * compares exactly as the column does (a JavaScript Date would drop the microseconds and a row
 * could be shown twice or skipped). Compare it back with `$n::timestamptz`.
 */
export function instantKey(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
