import type { CheckOutcome } from './checks/check';
import type { DrillResult, RecordedRequest } from './ports';

/**
 * One row of the table from the load's records and the checks' outcomes. Events lost = 2xx
 * commands without their events + stored events that never reached the stream; duplicates = stream
 * messages beyond the first per event id (what a consumer has to de-duplicate); read models = tables
 * that differ from their rebuild. Every check's failures are kept, prefixed by the check.
 */
export function drillResult(input: {
  readonly drill: string;
  readonly records: readonly RecordedRequest[];
  readonly outcomes: readonly CheckOutcome[];
  readonly timeToRecoverMs: number | null;
  /** Failures found outside the checks (the drill's own steps). */
  readonly failures?: readonly string[];
}): DrillResult {
  const { records, outcomes } = input;
  const count = (key: string) => outcomes.reduce((sum, o) => sum + (o.counts[key] ?? 0), 0);
  const ok2xx = records.filter((r) => r.status >= 200 && r.status < 300).length;
  const unavailable503 = records.filter((r) => r.status === 503).length;
  const countOf = (check: string, key: string) => outcomes.find((o) => o.check === check)?.counts[key] ?? 0;
  return {
    drill: input.drill,
    sent: records.length,
    ok2xx,
    unavailable503,
    other: records.length - ok2xx - unavailable503,
    eventsLost: count('missing') + count('lost'),
    duplicatesSeen: countOf('stream has every event once', 'duplicates'),
    readModelsDiffering: count('differing'),
    timeToRecoverMs: input.timeToRecoverMs,
    failures: [
      ...(input.failures ?? []),
      ...outcomes.flatMap((o) => o.failures.map((failure) => `${o.check}: ${failure}`)),
    ],
  };
}

const HEADER = [
  'drill',
  'requests sent',
  '2xx',
  '503',
  'other',
  'events lost',
  'duplicates seen',
  'read models ≠ rebuild',
  'time to recover',
  'result',
];

/** The table in Markdown, then each drill's failures. */
export function formatReport(results: readonly DrillResult[]): string {
  const rows = results.map((r) => [
    r.drill,
    String(r.sent),
    String(r.ok2xx),
    String(r.unavailable503),
    String(r.other),
    String(r.eventsLost),
    String(r.duplicatesSeen),
    String(r.readModelsDiffering),
    r.timeToRecoverMs === null ? 'never' : `${(r.timeToRecoverMs / 1000).toFixed(1)} s`,
    r.failures.length === 0 ? 'pass' : `FAIL (${r.failures.length})`,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [line(HEADER), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  for (const r of results.filter((x) => x.failures.length > 0)) {
    lines.push('', `${r.drill} failed:`);
    for (const failure of r.failures) lines.push(`- ${failure}`);
  }
  return lines.join('\n');
}

/** Prints the report on stdout. */
export function printReport(results: readonly DrillResult[]): void {
  process.stdout.write(`${formatReport(results)}\n`);
}
