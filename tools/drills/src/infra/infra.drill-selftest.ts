/**
 * Self-test of the drill infrastructure (not a Jest spec): starts a private PostgreSQL, NATS and
 * SMTP sink and the Accord apps on them (membership-service ×2), exercises every operation a
 * drill uses, tears everything down and checks that no process is left behind.
 *
 *   node -r ./tools/register.js tools/drills/src/infra/infra.drill-selftest.ts
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AccordSystem } from '../ports';
import {
  sessionToken,
  sleep,
  startAccordSystem,
  startPrivateNats,
  startPrivatePostgres,
  startSmtpSink,
  type PrivateNatsHandle,
  type PrivatePostgresHandle,
  type SmtpSinkHandle,
} from './index';

const failures: string[] = [];
/** Production behaviour a drill would report (not failures of this infrastructure). */
const findings: string[] = [];
const t0 = Date.now();

function say(message: string): void {
  process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

async function step(name: string, work: () => Promise<string | void>): Promise<boolean> {
  const started = Date.now();
  try {
    const detail = await work();
    say(`ok   ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    failures.push(`${name}: ${message}`);
    say(`FAIL ${name} (${Date.now() - started} ms): ${message}`);
    return false;
  }
}

async function post(system: AccordSystem, path: string, token: string, body: unknown) {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': randomUUID() },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
}

/** POST /v1/accounts until 201 (bounded); reports the non-201 answers seen on the way. */
async function createAccount(system: AccordSystem, token: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    try {
      const reply = await post(system, '/v1/accounts', token, { name: `Drill ${Date.now()}` });
      if (reply.status === 201)
        return `201 ${String(reply.body['id'])}${seen.length ? ` after ${seen.join(', ')}` : ''}`;
      seen.push(`${reply.status}`);
    } catch (error) {
      seen.push((error as Error).message);
    }
    if (Date.now() >= deadline) throw new Error(`no 201 within ${timeoutMs} ms: ${seen.slice(-5).join(', ')}`);
    await sleep(250);
  }
}

function unexpectedExits(system: AccordSystem): string {
  const crashes = system.exits().filter((e) => !e.expected);
  return crashes.map((e) => `${e.app}-${e.replica} pid ${e.pid} (${e.signal ?? e.code})`).join(', ');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  let pg: PrivatePostgresHandle | undefined;
  let nats: PrivateNatsHandle | undefined;
  let smtp: SmtpSinkHandle | undefined;
  let system: AccordSystem | undefined;
  const pids = new Set<number>();
  const dirs: string[] = [];
  try {
    const started = await step('start PostgreSQL, NATS, SMTP sink', async () => {
      [pg, nats, smtp] = await Promise.all([startPrivatePostgres(), startPrivateNats(), startSmtpSink()]);
      dirs.push(pg.dataDir, nats.storeDir);
      return `${pg.databaseUrl}, ${nats.url}, ${smtp.url}`;
    });
    if (!started || !pg || !nats || !smtp) return;
    const [db, mq, mail] = [pg, nats, smtp];

    const up = await step('start Accord (membership-service ×2)', async () => {
      system = await startAccordSystem({
        databaseUrl: db.databaseUrl,
        natsUrl: mq.url,
        smtpUrl: mail.url,
        replicas: { 'membership-service': 2 },
        env: { NOTIFICATION_RETRY_BASE_MS: '300', NOTIFICATION_RETRY_MAX_MS: '1000' },
      });
      return `${system.baseUrl}, prefix ${system.natsPrefix}, logs in ${system.logDir}`;
    });
    if (!up || !system) return;
    const sys: AccordSystem = system;
    dirs.push(sys.logDir);
    const remember = () => {
      for (const app of [
        'gateway',
        'membership-service',
        'invitation-service',
        'api-token-service',
        'notification-service',
      ] as const)
        for (let i = 0; i < sys.replicas(app); i++) {
          const pid = sys.pid(app, i);
          if (pid) pids.add(pid);
        }
    };
    remember();
    const owner = { userId: randomUUID(), email: `owner-${randomUUID().slice(0, 8)}@example.com` };
    const token = await sessionToken(sys.jwtSecret, owner);

    await step('POST /v1/accounts → 201', () => createAccount(sys, token, 5_000));

    await step('relay lock holder found', async () => {
      const holder = await sys.relayLockHolder();
      if (!holder) throw new Error('no holder found');
      return `${holder.app}-${holder.replica} (pid ${sys.pid(holder.app, holder.replica)})`;
    });

    await step('SIGKILL membership-service-1, restart it', async () => {
      const before = sys.pid('membership-service', 1);
      await sys.kill('membership-service', 1, 'SIGKILL');
      if (sys.pid('membership-service', 1) !== null) throw new Error('still has a pid after kill');
      await createAccount(sys, token, 10_000); // the other replica serves meanwhile
      await sys.restart('membership-service', 1);
      remember();
      return `pid ${before} → ${sys.pid('membership-service', 1)}`;
    });

    await step('SIGTERM the relay lock holder: the lock moves', async () => {
      const holder = await sys.relayLockHolder();
      if (!holder) throw new Error('no holder before');
      await sys.kill(holder.app, holder.replica, 'SIGTERM');
      let next: Awaited<ReturnType<AccordSystem['relayLockHolder']>> = null;
      const deadline = Date.now() + 15_000;
      while (!next && Date.now() < deadline) {
        await sleep(250);
        next = await sys.relayLockHolder();
      }
      if (!next) throw new Error('no new holder within 15 s');
      await sys.restart(holder.app, holder.replica);
      remember();
      return `${holder.app}-${holder.replica} → ${next.app}-${next.replica}`;
    });

    for (const mode of ['fast', 'immediate'] as const) {
      await step(`PostgreSQL restart -m ${mode}: the system answers again`, async () => {
        await db.restart(mode);
        const t = Date.now();
        await sys.waitUntilUp(60_000);
        const created = await createAccount(sys, token);
        const crashes = unexpectedExits(sys);
        if (crashes) throw new Error(`up after ${Date.now() - t} ms but processes died: ${crashes}`);
        return `up after ${Date.now() - t} ms; ${created}`;
      });
    }

    await step('NATS stop/start: the system answers again', async () => {
      await mq.stop();
      await sleep(2_000);
      await mq.start();
      const t = Date.now();
      await sys.waitUntilUp(60_000);
      const created = await createAccount(sys, token);
      const crashes = unexpectedExits(sys);
      if (crashes) throw new Error(`up after ${Date.now() - t} ms but processes died: ${crashes}`);
      return `up after ${Date.now() - t} ms; ${created}`;
    });

    await step('SMTP refusal: 451 while on, delivered after off', async () => {
      const created = await post(sys, '/v1/accounts', token, { name: 'Mail drill' });
      if (created.status !== 201) throw new Error(`account: ${created.status} ${created.text}`);
      const recipient = `invitee-${randomUUID().slice(0, 8)}@example.com`;
      mail.refuse(true);
      const shared = await post(sys, `/v1/accounts/${String(created.body['id'])}/accesses`, token, {
        name: 'Drill team',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'administrator',
        recipients: [recipient],
      });
      if (shared.status !== 201) throw new Error(`share: ${shared.status} ${shared.text}`);
      let deadline = Date.now() + 20_000;
      while (mail.refusals === 0 && Date.now() < deadline) await sleep(100);
      if (mail.refusals === 0) throw new Error('no delivery attempt refused within 20 s');
      if (mail.received.some((m) => m.to.includes(recipient))) throw new Error('delivered while refusing');
      mail.refuse(false);
      deadline = Date.now() + 20_000;
      let got = mail.received.find((m) => m.to.includes(recipient));
      while (!got && Date.now() < deadline) {
        await sleep(100);
        got = mail.received.find((m) => m.to.includes(recipient));
      }
      if (!got) throw new Error('not delivered within 20 s after refuse(false)');
      return `${mail.refusals} refusal(s), then "${got.subject}" ${got.messageId} to ${got.to.join(',')}`;
    });

    await step('concurrent start of membership-service ×2 on a fresh database (finding probe)', async () => {
      const fresh = new URL(db.databaseUrl);
      fresh.pathname = '/accord_drill_race';
      try {
        const race = await startAccordSystem({
          databaseUrl: fresh.toString(),
          natsUrl: mq.url,
          smtpUrl: mail.url,
          replicas: {
            'membership-service': 2,
            'invitation-service': 0,
            'api-token-service': 0,
            'notification-service': 0,
          },
          startup: 'concurrent',
        });
        dirs.push(race.logDir);
        await race.stop();
        return 'both replicas started (no race this time)';
      } catch (error) {
        const line = (error as Error).message.split('\n').find((l) => /failed to start/.test(l));
        findings.push(`concurrent start on a fresh database: ${line ?? (error as Error).message.split('\n')[0]}`);
        return `FINDING: ${line ?? (error as Error).message.split('\n')[0]}`;
      }
    });

    const crashes = unexpectedExits(sys);
    if (crashes) failures.push(`unexpected exits: ${crashes}`);
  } finally {
    const tearDown = async () => {
      await system?.stop();
      await Promise.all([pg?.destroy(), nats?.destroy(), smtp?.close()]);
    };
    await step('tear down', tearDown);
    await step('no process left behind', async () => {
      const left = [...pids].filter(alive);
      const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => dirs.some((dir) => line.includes(dir.replace(/\/(data|store)$/, ''))));
      if (left.length || ps.length) throw new Error(`alive: ${left.join(' ')} ${ps.join(' | ')}`);
      return `${pids.size} app pids gone; no postgres/nats-server on our directories`;
    });
    // The replicas' logs are kept when something failed (the paths are printed above).
    const logDirs = dirs.filter((dir) => dir.includes('accord-drill-logs-'));
    if (failures.length === 0) for (const dir of logDirs) rmSync(dir, { recursive: true, force: true });
    else say(`logs kept in ${logDirs.join(' ')}`);
  }
}

main().then(
  () => {
    if (findings.length) say(`findings (production, not infra):\n  ${findings.join('\n  ')}`);
    say(failures.length ? `${failures.length} failure(s):\n  ${failures.join('\n  ')}` : 'all ok');
    process.exit(failures.length ? 1 : 0);
  },
  (error: Error) => {
    say(`crashed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
