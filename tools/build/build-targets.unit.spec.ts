import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// `npm run build` is `nx run-many -t build`: an app without a cached build target with outputs
// would silently not be built (or never restored from the cache), and an image would run an old
// or missing dist/. This spec keeps every app wired, and checks the check that guards each build.

// check-app.js is plain JavaScript (it runs before anything is built): its API, typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkApp } = require('./check-app.js') as { checkApp: (app: string, root?: string) => string[] };

const ROOT = join(__dirname, '..', '..');

interface Target {
  readonly executor?: string;
  readonly outputs?: readonly string[];
  readonly dependsOn?: readonly unknown[];
  readonly cache?: boolean;
  readonly options?: { readonly command?: string };
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const apps = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  // The web console is static files built by Vite, not a Node app (its own case below).
  .filter((name) => name !== 'console');
const targets = (path: string) => readJson<{ targets?: Record<string, Target> }>(path).targets ?? {};

describe('the build targets', () => {
  it('finds the apps', () => expect(apps).toEqual(expect.arrayContaining(['platform', 'gateway', 'cli'])));

  it.each(apps)('apps/%s has a build target that checks its dist/ after tools:compile', (app) => {
    const build = targets(`apps/${app}/project.json`)['build'];
    expect(build?.outputs).toEqual([`{workspaceRoot}/dist/apps/${app}`]);
    expect(build?.dependsOn).toEqual([{ projects: ['tools'], target: 'compile' }]);
    expect(build?.options?.command).toBe(`node tools/build/check-app.js ${app}`);
  });

  it('apps/console builds with Vite into dist/console (what the gateway serves at /), cached', () => {
    const build = targets('apps/console/project.json')['build'];
    expect(build?.outputs).toEqual(['{workspaceRoot}/dist/console']);
    expect(build?.options?.command).toMatch(/^vite build --config apps\/console\/vite.config.mts\b/);
    expect(build?.cache).toBe(true);
  });

  it('tools:compile writes dist/apps and dist/libs', () => {
    expect(targets('tools/project.json')['compile']?.outputs).toEqual([
      '{workspaceRoot}/dist/apps',
      '{workspaceRoot}/dist/libs',
    ]);
  });

  it('caches both targets', () => {
    const defaults = readJson<{ targetDefaults: Record<string, Target> }>('nx.json').targetDefaults;
    expect([defaults['compile']?.cache, defaults['build']?.cache]).toEqual([true, true]);
  });

  it('npm test builds before the integration and end-to-end suites, after lint and typecheck', () => {
    const { scripts } = readJson<{ scripts: Record<string, string> }>('package.json');
    expect(scripts['build']).toMatch(/^nx run-many -t build\b/);
    const steps = (scripts['test'] ?? '').split(' && ');
    expect(steps.slice(0, 2)).toEqual(['npm run lint', 'npm run typecheck']);
    expect(steps.indexOf('npm run build')).toBeGreaterThan(1);
    expect(steps.indexOf('npm run build')).toBeLessThan(steps.findIndex((step) => step.includes('e2e')));
  });

  it('keeps the compilers and the test SMTP server out of the production dependencies', () => {
    const { dependencies } = readJson<{ dependencies: Record<string, string> }>('package.json');
    const devOnly = ['typescript', 'ts-node', 'tsconfig-paths', 'smtp-server', 'tsc-alias'];
    expect(devOnly.filter((name) => name in dependencies)).toEqual([]);
    expect(Object.keys(dependencies).filter((name) => name.startsWith('@types/'))).toEqual([]);
  });
});

describe('check-app.js', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'check-app-'));
    write('package.json', JSON.stringify({ dependencies: { 'known-package': '1.0.0' } }));
    write('node_modules/known-package/index.js', '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes an app whose requires all resolve inside dist/ or to production dependencies', () => {
    write('dist/apps/a/src/main.js', 'require("node:fs"); require("path"); require("./b"); require("known-package");');
    write('dist/apps/a/src/b.js', 'require("../../../libs/x/src/index.js");');
    write('dist/libs/x/src/index.js', '');
    expect(checkApp('a', root)).toEqual([]);
  });

  it('names a missing build, a left alias, a missing file, a dev-only and an uninstalled package', () => {
    expect(checkApp('a', root)).toEqual(['dist/apps/a/src/main.js is missing']);
    write('dist/apps/a/src/main.js', 'require("@accord/x"); require("./gone"); require("./lib");');
    write('dist/apps/a/src/lib.js', 'require("ts-node"); createRequire(__filename)(\'known-package/missing\');');
    expect(checkApp('a', root).sort()).toEqual(
      [
        'dist/apps/a/src/main.js: requires @accord/x, an alias tsc-alias did not rewrite',
        'dist/apps/a/src/main.js: requires ./gone, which is not in dist/',
        'dist/apps/a/src/lib.js: requires ts-node, which is not in dependencies',
        'dist/apps/a/src/lib.js: requires known-package/missing, which does not resolve (npm ci?)',
      ].sort(),
    );
  });
});
