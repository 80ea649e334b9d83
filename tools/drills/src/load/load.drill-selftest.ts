/**
 * Self-test of the load generator and the post-drill checks, with no fault: starts the services
 * profile (gateway, membership, invitation, api-token and notification services as processes) on
 * the machine's PostgreSQL and NATS with a throwaway database and NATS prefix, and a loopback SMTP
 * server; runs the load for ~15 s; waits until the system is quiet; runs every check and prints the
 * table. Every check must pass. Cleans everything away at the end.
 *
 *   node -r ./tools/register.js tools/drills/src/load/load.drill-selftest.ts [seconds] [rate]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect } from 'nats';
import { SMTPServer } from 'smtp-server';
import { createSqlClient, dropDatabase, ensureDatabase } from '@accord/eventstore';
import { natsNaming } from '@accord/service-kit';
import {
  availabilityDuringFault,
  commandsHaveTheirEvents,
  mailsSentOnce,
  readModelsEqualRebuild,
  streamHasEveryEventOnce,
  waitUntilSettled,
  type CheckOutcome,
} from '../checks';
import type { ReceivedMail } from '../ports';
import { drillResult, printReport } from '../report';
import { startLoad } from './load';
import { newPerson } from './session-token';

const root = join(__dirname, '..', '..', '..', '..');
const APPS = ['membership-service', 'invitation-service', 'api-token-service', 'notification-service', 'gateway'];
const PG = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A loopback SMTP server that records every accepted mail's Message-ID and recipients. */
async function smtpSink(port: number): Promise<{ received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
        received.push({
          messageId: header('Message-ID'),
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header('Subject'),
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function startApp(app: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'tools/register.js'), join(root, 'apps', app, 'src/main.ts')],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  [${app}] ${line}`);
  });
  return child;
}

async function stopApps(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function waitUntilUp(baseUrl: string, token: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const paths = ['/v1/accounts', '/v1/me/invitations', '/v1/me/notifications'];
  while (Date.now() < deadline) {
    try {
      const statuses = await Promise.all(
        paths.map((path) =>
          fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status),
        ),
      );
      if (statuses.every((status) => status === 200)) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the services did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 15);
  const rate = Number(process.argv[3] ?? 20);
  const requestTimeoutMs = 10_000;
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${PG}/accord_drill_selftest_${run}`;
  const natsPrefix = `t${randomBytes(5).toString('hex')}`;
  const naming = natsNaming(natsPrefix);
  const jwtSecret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const smtpPort = await freePort();

  await ensureDatabase(databaseUrl);
  const sql = await createSqlClient({ databaseUrl, poolSize: 4 });
  const nats = await connect({ servers: NATS_URL, name: 'drill-selftest' });
  const sink = await smtpSink(smtpPort);
  let children: ChildProcess[] = [];
  let exitCode = 1;
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NATS_URL,
      NATS_PREFIX: natsPrefix,
      JWT_SECRET: jwtSecret,
      INVITATION_LINK_KEY: randomBytes(32).toString('base64url'),
      PORT: String(port),
      HOST: '127.0.0.1',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: baseUrl,
      NOTIFICATION_RETRY_BASE_MS: '200',
      NOTIFICATION_RETRY_MAX_MS: '1000',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    };
    log(`starting ${APPS.join(', ')} on ${databaseUrl} with NATS prefix ${natsPrefix}`);
    children = APPS.map((app) => startApp(app, env));
    await waitUntilUp(baseUrl, (await newPerson(jwtSecret, 'probe', 'probe')).token);
    log(`up at ${baseUrl}; load ${rate}/s for ${seconds} s`);

    const load = startLoad({ baseUrl, jwtSecret, ratePerSecond: rate, requestTimeoutMs });
    const loadStart = Date.now();
    await sleep(seconds * 1000);
    const records = await load.stop();
    const recordsFile = process.env['DRILL_RECORDS'];
    if (recordsFile) writeFileSync(recordsFile, JSON.stringify(records, null, 1));
    const byKind = new Map<string, Map<number, number>>();
    for (const r of records) {
      const statuses = byKind.get(r.kind) ?? new Map<number, number>();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      byKind.set(r.kind, statuses);
    }
    for (const [kind, statuses] of byKind)
      log(`  ${kind}: ${[...statuses].map(([status, n]) => `${status}×${n}`).join(', ')}`);
    for (const r of records.filter((x) => x.status >= 400 || x.status === 0).slice(0, 10))
      log(`  ${r.kind} ${r.method} ${r.path} → ${r.status}: ${r.error}`);

    log('waiting until the system is quiet');
    if (!(await waitUntilSettled(sql, 60_000))) log('  not quiet after 60 s: checking anyway');
    // No fault: a nominal window in the middle of the run, so the availability rules are exercised.
    const fault = { start: loadStart + (seconds * 1000) / 3, end: loadStart + (2 * seconds * 1000) / 3 };
    const availability = availabilityDuringFault(records, fault, { requestTimeoutMs });
    const outcomes: CheckOutcome[] = [
      await commandsHaveTheirEvents(records, sql),
      await streamHasEveryEventOnce(sql, nats, naming),
      await readModelsEqualRebuild(databaseUrl),
      await mailsSentOnce(sql, sink.received),
      availability,
    ];
    for (const o of outcomes)
      log(`  ${o.check}: ${o.failures.length === 0 ? 'pass' : 'FAIL'} ${JSON.stringify(o.counts)}`);
    const result = drillResult({
      drill: 'no fault (self-test)',
      records,
      outcomes,
      timeToRecoverMs: availability.timeToRecoverMs,
    });
    printReport([result]);
    exitCode = result.failures.length === 0 ? 0 : 1;
  } finally {
    await stopApps(children);
    await sink.close().catch(() => undefined);
    await nats
      .jetstreamManager()
      .then((jsm) => jsm.streams.delete(naming.streamName))
      .catch(() => undefined);
    await nats.drain().catch(() => undefined);
    await sql.close().catch(() => undefined);
    await dropDatabase(databaseUrl).catch((error: unknown) => log(`could not drop ${databaseUrl}: ${String(error)}`));
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  log(`self-test failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
