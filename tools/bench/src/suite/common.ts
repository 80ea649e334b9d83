import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from 'nats';
import { createSqlClient, dropDatabase, ensureDatabase, type NewEvent, type SqlClient } from '@accord/eventstore';

/** The machine's PostgreSQL server and NATS (override with BENCH_POSTGRES_URL / BENCH_NATS_URL). */
export const POSTGRES_SERVER_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
export const NATS_URL = process.env['BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** One measured row of the table; `id` says which workload of the issue it fills. */
export interface RowResult {
  readonly id: string;
  /** Accord's figures (throughput, p50, p99, …). */
  readonly figures: string;
  /** The baseline measured in the same run, when the row has one. */
  readonly baseline?: string;
  /** Accord ÷ baseline throughput. */
  readonly ratio?: number;
  /** Whether the target holds for this measurement (undefined: not judged). */
  readonly met?: boolean;
}

/** What a section child sends its parent over IPC. */
export type SectionMessage =
  | { readonly kind: 'row'; readonly row: RowResult }
  | { readonly kind: 'log'; readonly line: string }
  | { readonly kind: 'value'; readonly key: string; readonly value: string };

function send(message: SectionMessage): void {
  if (process.send) process.send(message);
  else if (message.kind === 'row') console.log(JSON.stringify(message.row));
  else if (message.kind === 'log') console.error(message.line);
  else console.log(`${message.key}=${message.value}`);
}

export const emitRow = (row: RowResult): void => send({ kind: 'row', row });
export const log = (line: string): void => send({ kind: 'log', line });
export const emitValue = (key: string, value: string): void => send({ kind: 'value', key, value });

/** The run's prefix for throwaway databases and NATS subjects (set by the orchestrator). */
export function runPrefix(): string {
  return process.env['BENCH_RUN'] ?? `b${randomUUID().slice(0, 6)}`;
}

/** A throwaway database `accord_bench_<run>_<name>` on the machine's server. */
export async function throwawayDatabase(
  name: string,
  poolSize = 20,
): Promise<{ readonly url: string; readonly sql: SqlClient; drop(): Promise<void> }> {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  const sql = await createSqlClient({ databaseUrl: url, poolSize });
  return {
    url,
    sql,
    async drop() {
      await sql.close().catch(() => undefined);
      await dropDatabase(url);
    },
  };
}

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/accord_bench_${runPrefix()}_${name}`;
  return url.toString();
}

/** Drops every database of this run and every NATS stream of its prefix (after a crash too). */
export async function sweepRun(run: string): Promise<string[]> {
  const swept: string[] = [];
  const admin = await createSqlClient({ databaseUrl: `${POSTGRES_SERVER_URL}/postgres`, poolSize: 1 });
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `accord_bench_${run}_%`,
    ]);
    for (const { datname } of rows) {
      const url = new URL(POSTGRES_SERVER_URL);
      url.pathname = `/${datname}`;
      await dropDatabase(url.toString());
      swept.push(datname);
    }
  } finally {
    await admin.close();
  }
  const nc = await connect({ servers: NATS_URL, name: 'accord-bench-sweep' });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const stream of jsm.streams.list()) {
      const ours =
        stream.config.name.toLowerCase().startsWith(`${run.toLowerCase()}`) ||
        (stream.config.subjects ?? []).some((subject) => subject.startsWith(run));
      if (ours) names.push(stream.config.name);
    }
    for (const name of names) {
      await jsm.streams.delete(name);
      swept.push(`nats stream ${name}`);
    }
  } finally {
    await nc.close();
  }
  return swept;
}

// ---- statistics and formatting ------------------------------------------------------------------

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Timings {
  readonly count: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

export function timings(latenciesMs: readonly number[], elapsedMs: number, units = latenciesMs.length): Timings {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: latenciesMs.length,
    elapsedMs,
    perSecond: (units / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** 1234.5 → "1,235"; 123456 → "123k"; 2_345_678 → "2.35M". */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e5) return `${Math.round(perSecond / 1e3)}k`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(1)}k`;
  return Math.round(perSecond).toLocaleString('en-US');
}

/** Milliseconds with sensible precision: "0.42 ms", "3.5 ms", "142 ms", "5.5 s". */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export const latencyText = (t: Pick<Timings, 'p50' | 'p99'>): string => `p50 ${ms(t.p50)}, p99 ${ms(t.p99)}`;

/** Runs `worker(i)` `count` times with `concurrency` at once; each call's latency recorded. */
export async function timedConcurrent(
  count: number,
  concurrency: number,
  worker: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await worker(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - start };
}

export const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** A synthetic event of about 400 bytes (as the event store bench appends). */
export function syntheticEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'BenchmarkEventRecorded',
    data: { payload: 'x'.repeat(200), at: Date.now() },
    metadata: {
      accountId: 'bench-account',
      actor: { userId: 'bench-user', via: 'session' },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    },
  };
}

/** Heap after a full collection (the section runs with --expose-gc), in bytes. */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
