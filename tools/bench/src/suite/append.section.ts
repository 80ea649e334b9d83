import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { acceptAnyEvent, createEventStore, type EventStore, type NewEvent, type SqlClient } from '@accord/eventstore';
import {
  emitRow,
  latencyText,
  log,
  rate,
  syntheticEvent,
  throwawayDatabase,
  timedConcurrent,
  timings,
  type Timings,
} from './common';

/**
 * Rows 1–4: the event store alone (synthetic events, no schema validation) on PostgreSQL, beside
 * the physical limit measured through the SAME pg pool in the same run: a plain single-row INSERT in
 * autocommit into a table shaped like `events` (same columns, same unique keys).
 */
const SEQUENTIAL = 2000;
const WRITERS = 16;
const PER_WRITER = 250;
const BATCHES = 200;
const BATCH_SIZE = 100;
const PAGE = 1000;

const RAW_TABLE = `
  CREATE TABLE bench_raw_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text NOT NULL UNIQUE,
    stream_id       text NOT NULL,
    stream_position bigint NOT NULL,
    type            text NOT NULL,
    schema_version  integer NOT NULL,
    data            jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_position)
  )`;

function rawInsert(sql: SqlClient, event: NewEvent): Promise<unknown> {
  return sql.query(
    `INSERT INTO bench_raw_events (event_id, stream_id, stream_position, type, schema_version, data, metadata)
     VALUES ($1, $2, 0, $3, 1, $4, $5)`,
    [event.id, `bench-${randomUUID()}`, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
  );
}

/** Runs `blocks` alternating blocks of raw and Accord work, so drift on a noisy machine hits both alike. */
async function alternate(
  blocks: number,
  raw: () => Promise<{ latencies: number[]; elapsedMs: number }>,
  accord: () => Promise<{ latencies: number[]; elapsedMs: number }>,
): Promise<{ raw: Timings; accord: Timings }> {
  const sums = {
    raw: { latencies: [] as number[], elapsedMs: 0 },
    accord: { latencies: [] as number[], elapsedMs: 0 },
  };
  for (let b = 0; b < blocks; b++) {
    for (const [key, run] of [
      ['raw', raw],
      ['accord', accord],
    ] as const) {
      const { latencies, elapsedMs } = await run();
      sums[key].latencies.push(...latencies);
      sums[key].elapsedMs += elapsedMs;
    }
  }
  return {
    raw: timings(sums.raw.latencies, sums.raw.elapsedMs),
    accord: timings(sums.accord.latencies, sums.accord.elapsedMs),
  };
}

export async function runAppendSection(): Promise<void> {
  const database = await throwawayDatabase('append', WRITERS + 4);
  const { sql } = database;
  let store: EventStore | undefined;
  try {
    store = await createEventStore(sql, { validateEvent: acceptAnyEvent });
    const appendStore = store;
    await sql.query(RAW_TABLE);
    const appended = new Set<string>();
    const appendOne = async () => {
      const event = syntheticEvent();
      await appendStore.append(`bench-${randomUUID()}`, [event], 'no_stream');
      appended.add(event.id);
    };
    const insertOne = () => rawInsert(sql, syntheticEvent());

    // Warm-up (connections, plans, JIT): not measured.
    await timedConcurrent(100, 1, insertOne);
    await timedConcurrent(100, 1, appendOne);

    // 1. Sequential 1-event appends, each to a new stream.
    const blocks = 4;
    const sequential = await alternate(
      blocks,
      () => timedConcurrent(SEQUENTIAL / blocks, 1, insertOne),
      () => timedConcurrent(SEQUENTIAL / blocks, 1, appendOne),
    );
    const r1 = sequential.accord.perSecond / sequential.raw.perSecond;
    log(`  sequential: accord ${rate(sequential.accord.perSecond)}/s, raw ${rate(sequential.raw.perSecond)}/s`);
    emitRow({
      id: 'append-sequential',
      figures: `${rate(sequential.accord.perSecond)}/s, ${latencyText(sequential.accord)}`,
      baseline: `raw INSERT: ${rate(sequential.raw.perSecond)}/s, ${latencyText(sequential.raw)}`,
      ratio: r1,
      met: r1 >= 0.8,
    });

    // 2. 16 writers × 250 appends (each to a new stream), against raw inserts 16 at once.
    const concurrent = await alternate(
      2,
      () => timedConcurrent((WRITERS * PER_WRITER) / 2, WRITERS, insertOne),
      () => timedConcurrent((WRITERS * PER_WRITER) / 2, WRITERS, appendOne),
    );
    const r2 = concurrent.accord.perSecond / concurrent.raw.perSecond;
    log(`  16 writers: accord ${rate(concurrent.accord.perSecond)}/s, raw ${rate(concurrent.raw.perSecond)}/s`);
    emitRow({
      id: 'append-concurrent',
      figures: `${rate(concurrent.accord.perSecond)}/s, ${latencyText(concurrent.accord)}`,
      baseline: `raw INSERTs, 16 at once: ${rate(concurrent.raw.perSecond)}/s, ${latencyText(concurrent.raw)}`,
      ratio: r2,
      met: r2 >= 0.8,
    });

    // 3. 200 appends of 100-event batches.
    const batches = await timedConcurrent(BATCHES, 1, async () => {
      const events = Array.from({ length: BATCH_SIZE }, syntheticEvent);
      await appendStore.append(`bench-${randomUUID()}`, events, 'no_stream');
      for (const event of events) appended.add(event.id);
    });
    const batched = timings(batches.latencies, batches.elapsedMs, BATCHES * BATCH_SIZE);
    emitRow({
      id: 'append-batches',
      figures: `${rate(batched.perSecond)} events/s, per append ${latencyText(batched)}`,
      met: batched.perSecond >= 60_000,
    });

    // 4. Global read in pages of 1,000, over the whole log, each pass checked against what was appended.
    const pageLatencies: number[] = [];
    let readMs = 0;
    let events = 0;
    let passes = 0;
    let skipped = 0;
    let duplicated = 0;
    while (passes < 10 && (passes < 2 || readMs < 2000)) {
      passes++;
      const seen = new Set<string>();
      let after = 0;
      for (;;) {
        const t0 = performance.now();
        const page = await appendStore.readAll(after, PAGE);
        const elapsed = performance.now() - t0;
        pageLatencies.push(elapsed);
        readMs += elapsed;
        if (page.length === 0) break;
        for (const event of page) {
          if (event.globalPosition <= after) duplicated++;
          if (seen.has(event.id)) duplicated++;
          seen.add(event.id);
          after = event.globalPosition;
        }
        events += page.length;
      }
      for (const id of appended) if (!seen.has(id)) skipped++;
    }
    const read = timings(pageLatencies, readMs, events);
    emitRow({
      id: 'read-all',
      figures:
        `${rate(read.perSecond)} events/s (${passes} passes over ${appended.size.toLocaleString('en-US')} events), ` +
        `per page ${latencyText(read)}; ${skipped} skipped, ${duplicated} duplicated`,
      met: read.perSecond >= 200_000 && skipped === 0 && duplicated === 0,
    });
  } finally {
    await store?.close();
    await database.drop();
  }
}
