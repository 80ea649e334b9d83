// `nx run tools:compile` (every app's `build` depends on it): one type-checked tsc run over apps/
// and libs/ (tsconfig.build.json: no specs, no testing helpers) into dist/, mirroring the source
// tree, then tsc-alias turns the `@accord/*` path aliases into relative requires, so
// `node dist/apps/<app>/src/main.js` runs with neither ts-node nor tsconfig-paths.
// Plain JavaScript: it runs before anything is built. Type errors exit non-zero and fail the build.
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const project = join(root, 'tsconfig.build.json');

/** Runs a package's bin with node; exits with its status when it fails. */
function run(bin, args) {
  const result = spawnSync(process.execPath, [require.resolve(bin, { paths: [root] }), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`build: ${bin} ${args.join(' ')} failed (${result.signal ?? result.status})`);
    process.exit(result.status || 1);
  }
}

// A file deleted from the sources must not live on in dist/.
for (const dir of ['apps', 'libs']) rmSync(join(root, 'dist', dir), { recursive: true, force: true });
run('typescript/bin/tsc', ['-p', project]);
run('tsc-alias/dist/bin/index.js', ['-p', project]);
