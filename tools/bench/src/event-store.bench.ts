/**
 * Event store benchmark, on PostgreSQL or embedded PGlite: append throughput (single events on one
 * stream and on 8 streams at once; batches of 100), readAll throughput, and subscription lag
 * (append start → handler, with appends paced every 10 ms).
 *
 *   node -r ./tools/register.js tools/bench/src/event-store.bench.ts [--driver=pg|pglite] [--seconds=3]
 *
 * Env: BENCH_DRIVER, BENCH_SECONDS, BENCH_POSTGRES_URL (server URL, default the loopback one).
 * Runs on its own throwaway database (dropped at the end) or an in-memory PGlite; each phase
 * stops after `seconds`, so a run takes about 5 × seconds plus setup.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  acceptAnyEvent,
  createEventStore,
  createSqlClient,
  dropDatabase,
  ensureDatabase,
  type EventStore,
  type NewEvent,
  type SqlClient,
} from '@accord/eventstore';

interface BenchConfig {
  readonly driver: 'pg' | 'pglite';
  readonly seconds: number;
  readonly serverUrl: string;
}

const CONCURRENT_STREAMS = 8;

function readConfig(): BenchConfig {
  const args = new Map(
    process.argv.slice(2).map((arg) => {
      const [key, value = ''] = arg.replace(/^--/, '').split('=');
      return [key, value] as const;
    }),
  );
  const driver = args.get('driver') ?? process.env['BENCH_DRIVER'] ?? 'pg';
  if (driver !== 'pg' && driver !== 'pglite') throw new Error(`--driver must be pg or pglite, got "${driver}"`);
  const seconds = Number(args.get('seconds') ?? process.env['BENCH_SECONDS'] ?? 3);
  if (!(seconds > 0 && seconds <= 60)) throw new Error(`--seconds must be in (0, 60], got "${seconds}"`);
  const serverUrl = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
  return { driver, seconds, serverUrl };
}

function newEvent(): NewEvent {
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

/** Appends to one stream, one event per call with the version it knows, until the deadline. */
async function appendLoop(store: EventStore, deadline: number): Promise<number> {
  const streamId = `bench-${randomUUID()}`;
  let version: number | 'no_stream' = 'no_stream';
  let count = 0;
  while (Date.now() < deadline) {
    version = (await store.append(streamId, [newEvent()], version)).nextExpectedVersion;
    count += 1;
  }
  return count;
}

async function measureAppends(store: EventStore, seconds: number, streams: number): Promise<number> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const counts = await Promise.all(Array.from({ length: streams }, () => appendLoop(store, deadline)));
  return counts.reduce((sum, n) => sum + n, 0) / ((Date.now() - started) / 1000);
}

/** Appends batches of 100 events to fresh streams until the deadline; gives readAll a log to read. */
async function measureBatchAppends(store: EventStore, seconds: number): Promise<number> {
  const started = Date.now();
  let count = 0;
  while (Date.now() < started + seconds * 1000) {
    await store.append(`bench-${randomUUID()}`, Array.from({ length: 100 }, newEvent), 'no_stream');
    count += 100;
  }
  return count / ((Date.now() - started) / 1000);
}

async function measureReadAll(store: EventStore, seconds: number): Promise<{ perSecond: number; events: number }> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let after = 0;
  let events = 0;
  while (Date.now() < deadline) {
    const page = await store.readAll(after, 1000);
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1]!.globalPosition;
  }
  return { perSecond: events / ((Date.now() - started) / 1000), events };
}

/** Paced appends (one every 10 ms) to a live subscription; lag = append start → handler call. */
async function measureSubscriptionLag(store: EventStore, seconds: number): Promise<number[]> {
  const startedAt = new Map<string, number>();
  const lags: number[] = [];
  const subscription = store.subscribeAll(await store.headPosition(), async (event) => {
    const started = startedAt.get(event.id);
    if (started !== undefined) lags.push(performance.now() - started);
  });
  try {
    const deadline = Date.now() + seconds * 1000;
    const streamId = `bench-${randomUUID()}`;
    let version: number | 'no_stream' = 'no_stream';
    while (Date.now() < deadline) {
      const event = newEvent();
      startedAt.set(event.id, performance.now());
      version = (await store.append(streamId, [event], version)).nextExpectedVersion;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const drainUntil = Date.now() + 5_000;
    while (lags.length < startedAt.size && Date.now() < drainUntil)
      await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    await subscription.close();
  }
  return lags;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function openDatabase(config: BenchConfig): Promise<{ sql: SqlClient; dispose(): Promise<void> }> {
  if (config.driver === 'pglite') {
    const sql = await createSqlClient({});
    return { sql, dispose: () => sql.close() };
  }
  const url = new URL(config.serverUrl);
  url.pathname = `/accord_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl, poolSize: CONCURRENT_STREAMS + 4 });
  return {
    sql,
    async dispose() {
      await sql.close();
      await dropDatabase(databaseUrl);
    },
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  console.log(`event store benchmark: driver=${config.driver}, ${config.seconds} s per phase`);
  const database = await openDatabase(config);
  try {
    // The benchmark measures the store itself with synthetic events (no Accord schema).
    const store = await createEventStore(database.sql, { validateEvent: acceptAnyEvent });
    try {
      const single = await measureAppends(store, config.seconds, 1);
      console.log(`appends, 1 stream:            ${single.toFixed(0)} events/s`);
      const concurrent = await measureAppends(store, config.seconds, CONCURRENT_STREAMS);
      console.log(`appends, ${CONCURRENT_STREAMS} streams at once:   ${concurrent.toFixed(0)} events/s`);
      const batched = await measureBatchAppends(store, config.seconds);
      console.log(`appends, batches of 100:      ${batched.toFixed(0)} events/s`);
      const reads = await measureReadAll(store, config.seconds);
      console.log(`readAll (pages of 1000):      ${reads.perSecond.toFixed(0)} events/s over ${reads.events} events`);
      const lags = (await measureSubscriptionLag(store, config.seconds)).sort((a, b) => a - b);
      console.log(
        `subscription lag (${lags.length} events): p50 ${percentile(lags, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(lags, 95).toFixed(1)} ms, max ${(lags[lags.length - 1] ?? Number.NaN).toFixed(1)} ms`,
      );
    } finally {
      await store.close();
    }
  } finally {
    await database.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
