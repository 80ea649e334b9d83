import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import type { PrivateNats } from '../ports';
import { onExit } from './exit-hooks';
import { canConnect, freePort, waitFor } from '../../../shared/loopback';

export interface PrivateNatsHandle extends PrivateNats {
  /** The `-sd` directory (JetStream store under `jetstream/`), kept across stop/start. */
  readonly storeDir: string;
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `nats-server -js -sd <tmp> -p PORT -a 127.0.0.1` (from PATH), ready once JetStream answers. */
export async function startPrivateNats(options: { readonly startTimeoutMs?: number } = {}): Promise<PrivateNatsHandle> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const baseDir = mkdtempSync(join(tmpdir(), 'accord-drill-nats-'));
  const storeDir = join(baseDir, 'store');
  const logFile = join(baseDir, 'nats-server.log');
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let destroyed = false;

  const unregister = onExit(() => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(baseDir, { recursive: true, force: true });
  });

  const start = async () => {
    if (child) throw new Error('nats-server is already running');
    const log = openSync(logFile, 'a');
    writeSync(log, `--- nats-server start ${new Date().toISOString()} ---\n`);
    const proc = spawn('nats-server', ['-js', '-sd', storeDir, '-p', String(port), '-a', '127.0.0.1'], {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child = proc;
    let spawnError: Error | null = null;
    proc.once('error', (error) => (spawnError = error));
    proc.once('exit', () => {
      if (child === proc) child = null;
    });
    await waitFor(
      `nats-server on ${url} accepting connections`,
      async () => {
        if (spawnError) throw spawnError;
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`nats-server exited (${proc.exitCode ?? proc.signalCode}):\n${tail(logFile)}`);
        return canConnect(port);
      },
      startTimeoutMs,
      50,
    );
    // A TCP accept comes before JetStream has recovered its store: wait until it answers too.
    await waitFor(
      `JetStream on ${url}`,
      async () => {
        const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 });
        try {
          await (await nc.jetstreamManager({ timeout: 1_000 })).getAccountInfo();
          return true;
        } finally {
          await nc.close();
        }
      },
      startTimeoutMs,
      100,
    );
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      // nats-server exits on SIGTERM at once; should it hang, it is killed after 30 s.
      const hard = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      proc.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      proc.kill('SIGTERM');
    });
    child = null;
  };

  try {
    await start();
  } catch (error) {
    await stop().catch(() => undefined);
    rmSync(baseDir, { recursive: true, force: true });
    unregister();
    throw error;
  }

  return {
    url,
    port,
    logFile,
    storeDir,
    stop,
    start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop();
      rmSync(baseDir, { recursive: true, force: true });
      unregister();
    },
  };
}
