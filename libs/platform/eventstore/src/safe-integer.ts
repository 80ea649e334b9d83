/** PostgreSQL type oid of `bigint` (int8). */
export const INT8_OID = 20;

/**
 * Parses an int8 column as a JS number. Global positions and versions are bigints in SQL but must
 * be plain numbers for callers (JSON, arithmetic); a value that a double cannot hold exactly is an
 * error, never a silently rounded position.
 */
export function parseSafeInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`bigint value ${text} exceeds Number.MAX_SAFE_INTEGER`);
  }
  return value;
}
