import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execForm, parseDockerfile, type Stage } from './dockerfile';

// There is no Docker engine here to build the image: this spec holds the Dockerfile to its shape
// (issue 12): Node 22 LTS on a pinned slim tag, a build stage and a runtime stage with production
// dependencies only, a non-root user, tini as PID 1, a HEALTHCHECK, and the gateway as default app.

const ROOT = join(__dirname, '..', '..');
const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const final = dockerfile.stages.at(-1)!;

function args(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args: a }) => a);
}

describe('parseDockerfile', () => {
  it('joins continued lines, skips comments and resolves global ARGs in FROM', () => {
    const parsed = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG BASE=node:22.1.0-slim',
        'FROM ${BASE} AS one',
        'RUN a \\',
        '  # note',
        '  && b',
        'FROM one',
      ].join('\n'),
    );
    expect(parsed.stages).toEqual([
      { image: 'node:22.1.0-slim', name: 'one', instructions: [{ keyword: 'RUN', args: 'a && b' }] },
      { image: 'one', name: undefined, instructions: [] },
    ]);
  });
});

describe('Dockerfile', () => {
  it('builds on Node 22 LTS, slim, pinned to a patch release, in every stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const names = new Set(dockerfile.stages.map((stage) => stage.name));
    for (const { image } of dockerfile.stages.filter((stage) => !names.has(stage.image)))
      expect(image).toMatch(/^node:22\.\d+\.\d+-(bookworm-)?slim$/);
  });

  it('builds in one stage (npm ci, npm run build) and ships only dist/ from it', () => {
    const build = dockerfile.stages.find((stage) => args(stage, 'RUN').some((run) => run.includes('npm run build')));
    expect(build).toBeDefined();
    expect(build).not.toBe(final);
    expect(args(build!, 'RUN').some((run) => /\bnpm ci\b/.test(run))).toBe(true);
    const fromBuild = args(final, 'COPY').filter((copy) => copy.includes(`--from=${build!.name}`));
    expect(fromBuild).toEqual([`--from=${build!.name} /app/dist ./dist`]);
  });

  it('installs production dependencies only in the final stage, and copies no sources into it', () => {
    const installs = args(final, 'RUN').filter((run) => /\bnpm (ci|install|i)\b/.test(run));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci --omit=dev\b/);
    const copies = args(final, 'COPY').filter((copy) => !copy.startsWith('--from='));
    for (const copy of copies) expect(copy).not.toMatch(/^(--\S+\s+)*\.\s/);
    for (const copy of copies) expect(copy).not.toMatch(/\b(apps|libs|tsconfig)/);
  });

  it('runs as a non-root user', () => {
    const user = args(final, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('runs node under tini, installed in the final stage, so signals reach the app and zombies are reaped', () => {
    expect(args(final, 'RUN').some((run) => /apt-get install\b.*\btini\b/.test(run))).toBe(true);
    const entrypoint = execForm(args(final, 'ENTRYPOINT').at(-1) ?? '');
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node']);
  });

  it("runs the gateway by default: the command names an app's built entry point", () => {
    expect(execForm(args(final, 'CMD').at(-1) ?? '')).toEqual(['dist/apps/gateway/src/main.js']);
    expect(existsSync(join(ROOT, 'apps/gateway/src/main.ts'))).toBe(true);
  });

  it("has a HEALTHCHECK: the Node probe copied into the image, asking the gateway's /health by default", () => {
    const [healthcheck] = args(final, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/--interval=\S+/);
    expect(execForm(healthcheck ?? '')).toEqual(['node', '/app/tools/deploy/healthcheck.js']);
    expect(args(final, 'COPY')).toContain('tools/deploy/healthcheck.js ./tools/deploy/healthcheck.js');
    expect(args(final, 'WORKDIR')).toEqual(['/app']);
    expect(args(final, 'ENV').join(' ')).toMatch(/\bHEALTHCHECK_URL=http:\/\/127\.0\.0\.1:3000\/health\b/);
    expect(existsSync(join(ROOT, 'tools/deploy/healthcheck.js'))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, data, secrets and the git history out of the build context', () => {
    const ignored = new Set(
      readFileSync(join(ROOT, '.dockerignore'), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#')),
    );
    for (const entry of ['**/node_modules', 'dist', 'data', '.git', 'coverage', '.nx', 'tmp', '**/*.log', '.env'])
      expect([entry, ignored.has(entry)]).toEqual([entry, true]);
    // The image needs these: never ignore them.
    for (const needed of ['apps', 'libs', 'tools', 'package.json', 'package-lock.json'])
      expect([needed, ignored.has(needed)]).toEqual([needed, false]);
  });
});
