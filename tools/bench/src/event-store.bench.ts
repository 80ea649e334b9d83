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
  /**
   * `--issue`: the rows of the performance targets (fixed counts, raw-INSERT baselines in the same run),
   * not the timed phases.
   */
  readonly issueRows: boolean;
  /** `--repeat=N`: how many times the issue rows run (baseline and store alternate). */
  readonly repeat: number;
  /** `--only=sequential,writers,batches,read`: a subset of the issue rows. */
  readonly only: ReadonlySet<string>;
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
  const repeat = Number(args.get('repeat') ?? 1);
  if (!(Number.isInteger(repeat) && repeat >= 1))
    throw new Error(`--repeat must be a positive integer, got "${repeat}"`);
  return {
    driver,
    seconds,
    serverUrl,
    issueRows: args.has('issue'),
    repeat,
    only: new Set((args.get('only') ?? 'sequential,writers,batches,read').split(',')),
  };
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
  const sql = await createSqlClient({ databaseUrl, poolSize: Math.max(CONCURRENT_STREAMS, ISSUE_WRITERS) + 4 });
  return {
    sql,
    async dispose() {
      await sql.close();
      await dropDatabase(databaseUrl);
    },
  };
}

// ---- The rows of the performance targets, each with its baseline measured in the same run -------------------------

const ISSUE_WRITERS = 16;

interface Timed {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** `writers` loops sharing `count` calls of `call`; per-call latencies in ms. */
async function timeCalls(count: number, writers: number, call: () => Promise<unknown>, perCall = 1): Promise<Timed> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (issued++ < count) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (latencies.length * perCall * 1000) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The physical limit: a plain single-row INSERT of the same row, autocommit, through the same pool. */
async function rawInsert(sql: SqlClient): Promise<void> {
  const event = newEvent();
  await sql.query(
    `INSERT INTO bench_raw_events (event_id, stream_id, stream_position, type, schema_version, data, metadata)
     VALUES ($1, $2, 0, $3, 1, $4, $5)`,
    [event.id, `bench-${randomUUID()}`, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
  );
}

/** The same 100 rows in one INSERT statement, autocommit: the limit of a batch append. */
async function rawBatchInsert(sql: SqlClient): Promise<void> {
  const streamId = `bench-${randomUUID()}`;
  const rows = Array.from({ length: 100 }, (_, i) => {
    const event = newEvent();
    return { ...event, stream_id: streamId, stream_position: i };
  });
  await sql.query(
    `INSERT INTO bench_raw_events (event_id, stream_id, stream_position, type, schema_version, data, metadata)
     SELECT r.id, r.stream_id, r.stream_position, r.type, 1, r.data, r.metadata
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, stream_id text, stream_position bigint, type text, data jsonb, metadata jsonb)`,
    [JSON.stringify(rows)],
  );
}

function line(label: string, timed: Timed, unit: string, baseline?: Timed): string {
  const ratio = baseline
    ? `   ${(timed.perSecond / baseline.perSecond).toFixed(2)}× raw (${baseline.perSecond.toFixed(0)}/s)`
    : '';
  return (
    `${label.padEnd(44)} ${timed.perSecond.toFixed(0).padStart(7)} ${unit}/s   p50 ${timed.p50.toFixed(2)} ms   ` +
    `p99 ${timed.p99.toFixed(2)} ms${ratio}`
  );
}

async function runIssueRows(
  store: EventStore,
  sql: SqlClient,
  repeat: number,
  only: ReadonlySet<string>,
): Promise<void> {
  await sql.query(`CREATE TABLE IF NOT EXISTS bench_raw_events (LIKE events INCLUDING ALL)`);
  await sql.query(`CREATE SEQUENCE IF NOT EXISTS bench_raw_seq`);
  await sql.query(`ALTER TABLE bench_raw_events ALTER COLUMN global_position SET DEFAULT nextval('bench_raw_seq')`);
  const appendNew = () => store.append(`bench-${randomUUID()}`, [newEvent()], 'no_stream');
  for (let run = 1; run <= repeat; run += 1) {
    console.log(`-- run ${run}/${repeat}`);
    if (only.has('sequential')) {
      const rawSeq = await timeCalls(2_000, 1, () => rawInsert(sql));
      const seq = await timeCalls(2_000, 1, appendNew);
      console.log(line('2,000 sequential 1-event appends (no_stream)', seq, 'appends', rawSeq));
    }
    if (only.has('writers')) {
      const rawPar = await timeCalls(ISSUE_WRITERS * 250, ISSUE_WRITERS, () => rawInsert(sql));
      const par = await timeCalls(ISSUE_WRITERS * 250, ISSUE_WRITERS, appendNew);
      console.log(line(`${ISSUE_WRITERS} writers × 250 appends`, par, 'appends', rawPar));
    }
    if (only.has('batches') || only.has('read')) {
      const batches = await timeCalls(
        200,
        1,
        () => store.append(`bench-${randomUUID()}`, Array.from({ length: 100 }, newEvent), 'no_stream'),
        100,
      );
      const rawBatches = await timeCalls(200, 1, () => rawBatchInsert(sql), 100);
      console.log(line('200 appends of 100-event batches', batches, 'events', rawBatches));
    }
    if (only.has('read')) await measureGlobalRead(store, sql);
  }
}

/** The same pages as plain SELECTs through the same pool (the driver decodes the rows, nothing more). */
async function rawRead(sql: SqlClient, until: number): Promise<Timed> {
  const latencies: number[] = [];
  let events = 0;
  const started = performance.now();
  for (let after = 0; after < until;) {
    const t0 = performance.now();
    const { rows } = await sql.query<{ global_position: number }>(
      'SELECT * FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
      [after],
    );
    latencies.push(performance.now() - t0);
    if (rows.length === 0) break;
    events += rows.length;
    after = rows[rows.length - 1]!.global_position;
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { perSecond: (events * 1000) / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Reads the whole log from 0 in pages of 1,000: every stored event once, in increasing order. */
async function measureGlobalRead(store: EventStore, sql: SqlClient): Promise<void> {
  const head = await store.headPosition();
  const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE global_position <= $1', [
    head,
  ]);
  const stored = rows[0]!.n;
  const seen = new Set<string>();
  let duplicated = 0;
  let after = 0;
  const latencies: number[] = [];
  const started = performance.now();
  for (;;) {
    const t0 = performance.now();
    const page = await store.readAll(after, 1000);
    latencies.push(performance.now() - t0);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.globalPosition <= after) throw new Error('readAll went backwards');
      if (seen.has(event.id)) duplicated += 1;
      seen.add(event.id);
      after = event.globalPosition;
    }
    if (after >= head) break;
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const baseline = await rawRead(sql, after);
  const timed = {
    perSecond: (seen.size * 1000) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
  console.log(
    `${line(`global read, pages of 1,000 (${seen.size} events)`, timed, 'events', baseline)}   ` +
      `skipped ${stored - seen.size}, duplicated ${duplicated}`,
  );
}

async function main(): Promise<void> {
  const config = readConfig();
  console.log(`event store benchmark: driver=${config.driver}, ${config.seconds} s per phase`);
  const database = await openDatabase(config);
  try {
    // The benchmark measures the store itself with synthetic events (no Accord schema).
    const store = await createEventStore(database.sql, { validateEvent: acceptAnyEvent });
    try {
      if (config.issueRows) {
        await runIssueRows(store, database.sql, config.repeat, config.only);
        return;
      }
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
