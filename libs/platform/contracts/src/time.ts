/** Pure time arithmetic on ISO-8601 UTC strings (the domain gets `now` on the command). */
export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

/** True when `iso` is at or before `now`. */
export function isAtOrBefore(iso: string, now: string): boolean {
  return Date.parse(iso) <= Date.parse(now);
}

/** Whole seconds from `from` until `to` (at least 1). */
export function secondsBetween(from: string, to: string): number {
  return Math.max(1, Math.ceil((Date.parse(to) - Date.parse(from)) / 1000));
}
