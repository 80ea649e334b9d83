import { freePort } from '../../../shared/loopback';
import { sessionToken } from '../../../shared/session-token';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { latencyText, log, rate, sleep } from './common';
import { builtAppArgs } from '../../../build/built-app';

// autocannon 8 ships no types: the part of its API the bench uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
  timeout?: number;
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export const repoRoot = join(__dirname, '..', '..', '..', '..');

/**
 * Starts one app from its build (`npm run build`), as production runs it. With `BENCH_CPU_PROF=DIR`
 * each app writes a V8 CPU profile into `DIR/<app>` when it exits (open it in Chrome DevTools or
 * speedscope): profile before optimising.
 */
export function startApp(app: string, env: NodeJS.ProcessEnv): ChildProcess {
  const profileDir = process.env['BENCH_CPU_PROF'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, app)}`] : [];
  const child = spawn(process.execPath, [...profile, ...builtAppArgs(app)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  [${app}] ${line}`);
  });
  return child;
}

export async function stopApps(children: readonly ChildProcess[]): Promise<void> {
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

/** Waits until every GET `paths` answers 200 with `token` (bounded). */
export async function waitUntilUp(baseUrl: string, token: string, paths: readonly string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
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
  throw new Error(`${baseUrl} did not answer ${paths.join(', ')} within ${timeoutMs / 1000} s`);
}

export async function postJson(baseUrl: string, path: string, token: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * A warm-up leaves up to `connections` requests queued in the server after autocannon stops: one
 * request sent after them returns once the server has worked through them (bounded), so the
 * measurement that follows starts on an idle server.
 */
export async function drain(baseUrl: string, path: string, token: string, body?: unknown): Promise<void> {
  await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  }).catch(() => undefined);
}

export interface HttpLoad {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** `connections` connections for `seconds`, each request with the next of `tokens` (round robin). */
export async function httpLoad(options: {
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly tokens: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}): Promise<HttpLoad> {
  let next = 0;
  const headers: Record<string, string> = options.body === undefined ? {} : { 'content-type': 'application/json' };
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: options.method,
        path: options.path,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        setupRequest: (request) => ({
          ...request,
          headers: { ...headers, authorization: `Bearer ${options.tokens[next++ % options.tokens.length]}` },
        }),
      },
    ],
  });
  return {
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export function httpFigures(load: HttpLoad): string {
  const failures = [
    `non-2xx ${load.non2xx}`,
    ...(load.errors ? [`errors ${load.errors}`] : []),
    ...(load.timeouts ? [`timeouts ${load.timeouts}`] : []),
  ];
  return `${rate(load.perSecond)}/s, ${latencyText(load)}; ${failures.join(', ')} (${load.total.toLocaleString('en-US')} requests)`;
}

export const httpClean = (load: HttpLoad): boolean => load.non2xx === 0 && load.errors === 0 && load.timeouts === 0;

export { freePort, sessionToken };
