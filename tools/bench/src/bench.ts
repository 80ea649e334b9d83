/**
 * `npm run bench`: every benchmark of the performance targets (README "Performance"), one after another,
 * and ONE Markdown table.
 *
 *   npm run bench                                  all sections (about 4–5 minutes)
 *   npm run bench -- --only=append,authz           a subset: append, authz, rebuild, services (= lag), embedded
 *   npm run bench -- --seconds=5                   HTTP load per measurement (default 10 s, after a 3 s warm-up)
 *
 * Each section runs in a process of its own (fresh heap, so memory figures mean something) on
 * throwaway databases `accord_bench_<run>_*` and NATS prefix `<run>…`; whatever a section leaves
 * behind (a crash, a timeout) is swept at the end. Progress goes to stderr, the table to stdout.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { sweepRun, type RowResult, type SectionMessage } from './suite/common';

interface RowSpec {
  readonly id: string;
  readonly workload: string;
  readonly target: string;
}

/** The issue's table, in its order and wording, plus the two extra measurements it asks for. */
const ROWS: readonly RowSpec[] = [
  {
    id: 'append-sequential',
    workload: '2,000 sequential 1-event appends, each to a new stream (`no_stream`)',
    target: '≥ 0.8× the raw insert rate',
  },
  { id: 'append-concurrent', workload: '16 writers × 250 such appends', target: '≥ 0.8× raw' },
  { id: 'append-batches', workload: '200 appends of 100-event batches', target: '≥ 60k events/s' },
  { id: 'read-all', workload: 'global read, pages of 1,000', target: '≥ 200k events/s, 0 skipped, 0 duplicated' },
  {
    id: 'post-services',
    workload: '`POST /v1/accounts`, services profile, 32 connections',
    target: '≥ 1,500/s, p99 ≤ 50 ms',
  },
  { id: 'post-embedded', workload: 'same, embedded profile (`npm start`)', target: '≥ 1,000/s, p99 ≤ 50 ms' },
  {
    id: 'get-services',
    workload: '`GET /v1/accounts`, services profile, 32 connections',
    target: '≥ 5,000/s, p99 ≤ 20 ms',
  },
  {
    id: 'authz-nats',
    workload: 'authorization check over NATS, 32–64 in flight',
    target: '≥ 0.6× the bare responder in the same run',
  },
  { id: 'authz-direct', workload: 'authorization check, in-memory index, direct call', target: '≥ 1M/s, p99 ≤ 5 µs' },
  { id: 'authz-load', workload: 'authz index load, 100k memberships', target: '≤ 1 s, ≤ 150 MiB' },
  {
    id: 'authz-one-account',
    workload: 'authz index load, one account with 100k members',
    target: 'O(members), not O(members²)',
  },
  {
    id: 'projection-lag',
    workload:
      'projection lag under the 32-connection command load (append commit → read model answers with that position)',
    target: 'p99 ≤ 100 ms',
  },
  { id: 'rebuild', workload: 'rebuild speed of the largest read model', target: '≥ 50k events/s' },
];

interface SectionSpec {
  readonly name: string;
  readonly rows: readonly string[];
  readonly timeoutMs: number;
}

/** In running order; `authz-seed` fills the database `authz` loads from. */
const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'append',
    rows: ['append-sequential', 'append-concurrent', 'append-batches', 'read-all'],
    timeoutMs: 180_000,
  },
  { name: 'authz-seed', rows: [], timeoutMs: 120_000 },
  { name: 'authz', rows: ['authz-load', 'authz-direct', 'authz-nats'], timeoutMs: 240_000 },
  { name: 'authz-one-account', rows: ['authz-one-account'], timeoutMs: 120_000 },
  { name: 'rebuild', rows: ['rebuild'], timeoutMs: 120_000 },
  { name: 'services', rows: ['post-services', 'projection-lag', 'get-services'], timeoutMs: 300_000 },
  { name: 'embedded', rows: ['post-embedded'], timeoutMs: 180_000 },
];

/** `--only=` names: a group of sections. */
const GROUPS: Record<string, readonly string[]> = {
  append: ['append'],
  store: ['append'],
  authz: ['authz-seed', 'authz', 'authz-one-account'],
  rebuild: ['rebuild'],
  services: ['services'],
  lag: ['services'],
  embedded: ['embedded'],
  http: ['services', 'embedded'],
};

function parseArgs(argv: readonly string[]): { sections: SectionSpec[]; seconds?: string } {
  let only: string[] | undefined;
  let seconds: string | undefined;
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=');
    if (key === 'only') only = value.split(',').filter(Boolean);
    else if (key === 'seconds') seconds = value;
    else if (key === 'help') {
      console.log(`usage: npm run bench [-- --only=${Object.keys(GROUPS).join(',')}] [--seconds=10]`);
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}" (--only=…, --seconds=…, --help)`);
  }
  if (seconds !== undefined && !(Number(seconds) > 0)) throw new Error(`--seconds must be > 0, got "${seconds}"`);
  if (!only) return { sections: [...SECTIONS], seconds };
  const names = new Set<string>();
  for (const group of only) {
    const members = GROUPS[group];
    if (!members) throw new Error(`--only: unknown "${group}"; one of ${Object.keys(GROUPS).join(', ')}`);
    for (const name of members) names.add(name);
  }
  return { sections: SECTIONS.filter((s) => names.has(s.name)), seconds };
}

function runSection(
  section: SectionSpec,
  env: NodeJS.ProcessEnv,
  rows: Map<string, RowResult>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    // BENCH_CPU_PROF=DIR: the section's own process writes a CPU profile too (see startApp).
    const profileDir = process.env['BENCH_CPU_PROF'];
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `section-${section.name}`)}`] : [];
    const child = fork(join(__dirname, 'suite', 'section.ts'), [section.name], {
      execArgv: [...profile, '--expose-gc', '-r', join(__dirname, '..', '..', 'register.js')],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      console.error(`  ${section.name}: no result within ${section.timeoutMs / 1000} s, stopping it`);
      child.kill('SIGKILL');
    }, section.timeoutMs);
    child.on('message', (message: SectionMessage) => {
      if (message.kind === 'row') rows.set(message.row.id, message.row);
      else if (message.kind === 'log') console.error(message.line);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `section ${section.name} failed (${signal ?? `exit ${code}`})`);
    });
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(rows: ReadonlyMap<string, RowResult>, failures: ReadonlyMap<string, string>): string {
  const lines = [
    '| workload | Accord (this run) | baseline (same client, same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const spec of ROWS) {
    const row = rows.get(spec.id);
    const failure = failures.get(spec.id);
    if (!row && !failure) continue;
    const met = row?.met === undefined ? '—' : row.met ? 'yes' : '**no**';
    lines.push(
      `| ${[
        spec.workload,
        row ? row.figures : `not measured: ${failure}`,
        row?.baseline ?? '—',
        row?.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
        spec.target,
        row ? met : '**no**',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { sections, seconds } = parseArgs(process.argv.slice(2));
  const run = `b${randomBytes(3).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_RUN: run,
    ...(seconds ? { BENCH_HTTP_SECONDS: seconds } : {}),
  };
  const rows = new Map<string, RowResult>();
  const failures = new Map<string, string>();
  const started = performance.now();
  console.error(`accord bench, run ${run}: ${sections.map((s) => s.name).join(', ')}`);
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
  });
  try {
    for (const section of sections) {
      if (interrupted) break;
      const sectionStart = performance.now();
      console.error(`▶ ${section.name}`);
      const failure = await runSection(section, env, rows);
      console.error(`  ${section.name}: ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
      if (failure) {
        console.error(`  ${failure}`);
        for (const id of section.rows) if (!rows.has(id)) failures.set(id, failure);
      }
    }
  } finally {
    const swept = await sweepRun(run).catch((error: Error) => [`sweep failed: ${error.message}`]);
    if (swept.length > 0) console.error(`swept what sections left behind: ${swept.join(', ')}`);
  }
  const minutes = (performance.now() - started) / 60_000;
  console.log('');
  console.log(table(rows, failures));
  console.log('');
  console.log(
    `_${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model.trim() ?? 'unknown CPU'}), run ${run}, ${minutes.toFixed(1)} min._`,
  );
  if (failures.size > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
