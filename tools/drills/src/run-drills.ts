import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import { createSqlClient, type SqlClient } from '@accord/eventstore';
import { natsNaming } from '@accord/service-kit';
import {
  availabilityDuringFault,
  commandsHaveTheirEvents,
  mailsSentOnce,
  readModelsEqualRebuild,
  streamHasEveryEventOnce,
  waitUntilSettled,
  type CheckOutcome,
} from './checks';
import { DRILLS, type Drill, type DrillWorld } from './drill-catalog';
import { isDrillCopy } from './faults/duplicating-proxy';
import { startAccordSystem, startPrivateNats, startPrivatePostgres, startSmtpSink } from './infra';
import { startLoad } from './load';
import type { DrillResult } from './ports';
import { drillResult } from './report';

export interface DrillOptions {
  /** The CI form: shorter phases and outages, a lower rate. */
  readonly short: boolean;
  /** Only the drills whose name contains one of these (case-insensitive). */
  readonly only?: readonly string[];
  /** Progress lines (stderr by default). */
  readonly log?: (line: string) => void;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Longer than the e-mail delivery lease (60 s): a mail whose worker was killed mid-send goes out then. */
const SETTLE_MS = 90_000;

/**
 * Runs the drills one after another on ONE system of their own (a private PostgreSQL cluster, a
 * private NATS, an SMTP sink, the services profile with two membership replicas): load before,
 * during and after each fault, then — load stopped, the system given a bounded time to settle —
 * every check on everything stored so far. Each drill's row counts its own requests.
 */
export async function runDrills(options: DrillOptions): Promise<DrillResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const drills = DRILLS.filter(
    (drill) => !options.only?.length || options.only.some((part) => drill.name.toLowerCase().includes(part)),
  );
  const timing = options.short
    ? { before: 3_000, after: 4_000, rate: 8, settle: SETTLE_MS }
    : { before: 5_000, after: 10_000, rate: 15, settle: SETTLE_MS };
  const postgres = await startPrivatePostgres();
  const nats = await startPrivateNats();
  const smtp = await startSmtpSink();
  let sql: SqlClient | null = null;
  let system: Awaited<ReturnType<typeof startAccordSystem>> | null = null;
  try {
    log(`drills: PostgreSQL on ${postgres.port}, NATS on ${nats.port}, SMTP on ${smtp.url}`);
    system = await startAccordSystem({
      databaseUrl: postgres.databaseUrl,
      natsUrl: nats.url,
      smtpUrl: smtp.url,
      replicas: { 'membership-service': 2 },
      // Mail retries capped low so what SMTP refused goes out within the settle time.
      env: { NOTIFICATION_RETRY_BASE_MS: '500', NOTIFICATION_RETRY_MAX_MS: '3000' },
    });
    log(`drills: system up at ${system.baseUrl} (logs in ${system.logDir})`);
    sql = await createSqlClient({ databaseUrl: postgres.databaseUrl, poolSize: 4 });
    const world: DrillWorld = {
      system,
      postgres,
      nats,
      smtp,
      streamName: natsNaming(system.natsPrefix).streamName,
      short: options.short,
    };
    const results: DrillResult[] = [];
    for (const drill of drills) results.push(await runOne(drill, world, sql, timing, log));
    return results;
  } finally {
    await sql?.close().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    await smtp.close().catch(() => undefined);
    await nats.destroy().catch(() => undefined);
    await postgres.destroy().catch(() => undefined);
  }
}

async function runOne(
  drill: Drill,
  world: DrillWorld,
  sql: SqlClient,
  timing: { before: number; after: number; rate: number; settle: number },
  log: (line: string) => void,
): Promise<DrillResult> {
  log(`▶ ${drill.name}`);
  const crashesBefore = world.system.exits().filter((exit) => !exit.expected).length;
  const load = startLoad({
    baseUrl: world.system.baseUrl,
    jwtSecret: world.system.jwtSecret,
    ratePerSecond: timing.rate,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const failures: string[] = [];
  await sleep(timing.before);
  const start = Date.now();
  let afterLoad: (() => Promise<void>) | void = undefined;
  try {
    afterLoad = await drill.inject(world);
  } catch (error) {
    failures.push(`the drill itself failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const end = Date.now();
  log(`  fault from ${new Date(start).toISOString()} for ${((end - start) / 1000).toFixed(1)} s`);
  await sleep(timing.after);
  const records = await load.stop();
  await afterLoad?.().catch(() => undefined);
  if (!(await waitUntilSettled(sql, timing.settle))) failures.push(`did not settle within ${timing.settle / 1000} s`);

  const availability = availabilityDuringFault(
    records,
    { start, end },
    {
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      allowTransportErrors: drill.allowTransportErrors ?? false,
    },
  );
  const nc = await connect({ servers: world.nats.url, name: 'drill-checks' });
  let outcomes: CheckOutcome[];
  try {
    outcomes = [
      await commandsHaveTheirEvents(records, sql),
      await streamHasEveryEventOnce(sql, nc, { streamName: world.streamName }, 30_000, isDrillCopy),
      await readModelsEqualRebuild(world.postgres.databaseUrl),
      await mailsSentOnce(sql, world.smtp.received),
      availability,
    ];
  } finally {
    await nc.drain().catch(() => undefined);
  }
  const crashes = world.system.exits().filter((exit) => !exit.expected);
  if (crashes.length > crashesBefore)
    failures.push(
      `processes exited on their own: ${crashes
        .slice(crashesBefore)
        .map((exit) => `${exit.app}-${exit.replica} (${exit.signal ?? exit.code})`)
        .join(', ')}`,
    );
  const result = drillResult({
    drill: drill.name,
    records,
    outcomes,
    timeToRecoverMs: availability.timeToRecoverMs,
    failures,
  });
  log(
    `  ${result.sent} requests, ${result.ok2xx} 2xx, ${result.unavailable503} 503, ${result.other} other; ` +
      `${result.failures.length === 0 ? 'every check holds' : `${result.failures.length} failures`}`,
  );
  for (const failure of result.failures) log(`  ✗ ${failure}`);
  return result;
}
