/**
 * A reply travels as one NATS message (1 MB by default): a page holds as many items as fit in
 * this many bytes of JSON, at least one, so an account with large events still pages forward.
 */
export const REPLY_BUDGET_BYTES = 512 * 1024;

/** The longest prefix of `items` whose JSON fits in `budget` bytes (never less than one item). */
export function withinBudget<T>(items: readonly T[], budget = REPLY_BUDGET_BYTES): T[] {
  const kept: T[] = [];
  let used = 0;
  for (const item of items) {
    used += Buffer.byteLength(JSON.stringify(item));
    if (kept.length > 0 && used > budget) break;
    kept.push(item);
  }
  return kept;
}
