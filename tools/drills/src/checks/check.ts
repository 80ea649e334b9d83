/** What one post-drill check found: failures in words (empty: passed) and counts for the table. */
export interface CheckOutcome {
  readonly check: string;
  readonly failures: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
}

/** At most `limit` examples in a failure's words, and how many there were. */
export function examples<T>(items: readonly T[], show: (item: T) => string, limit = 5): string {
  const shown = items.slice(0, limit).map(show).join('; ');
  return items.length > limit ? `${shown}; … (${items.length} in all)` : shown;
}
