// `nx run <app>:build`, after tools:compile: follows every require of the app's built files
// (dist/apps/<app>/src/*.js and what they reach) without running them, and fails when a require
// would break in production: an `@accord/*` alias tsc-alias left, a relative file missing from
// dist/, or a package that is not in package.json `dependencies` (an image installs only those).
// Plain JavaScript: it checks the build before anything else may be run.
const { existsSync, readFileSync, readdirSync } = require('node:fs');
const { builtinModules } = require('node:module');
const { dirname, join, relative } = require('node:path');

const repoRoot = join(__dirname, '..', '..');

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every required specifier in emitted CommonJS: `require("…")` as tsc writes imports, and
 * `createRequire(__filename)('…')` as the sources load a package lazily (PGlite).
 */
function requires(source) {
  const patterns = [/\brequire\("([^"]+)"\)/g, /\bcreateRequire\(__filename\)\(['"]([^'"]+)['"]\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]));
}

/** The problems of one app's built files under `root`; an empty list when it may run from dist/ alone. */
function checkApp(app, root = repoRoot) {
  const srcDir = join(root, 'dist', 'apps', app, 'src');
  if (!existsSync(join(srcDir, 'main.js'))) return [`${relative(root, srcDir)}/main.js is missing`];
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const builtins = new Set(builtinModules);
  const problems = [];
  const seen = new Set();
  const pending = readdirSync(srcDir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(srcDir, name));
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const where = relative(root, file);
    for (const specifier of requires(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        try {
          pending.push(require.resolve(join(dirname(file), specifier)));
        } catch {
          problems.push(`${where}: requires ${specifier}, which is not in dist/`);
        }
      } else if (specifier.startsWith('@accord/')) {
        problems.push(`${where}: requires ${specifier}, an alias tsc-alias did not rewrite`);
      } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const name = packageName(specifier);
        if (!(name in dependencies)) problems.push(`${where}: requires ${name}, which is not in dependencies`);
        else
          try {
            require.resolve(specifier, { paths: [dirname(file)] });
          } catch {
            problems.push(`${where}: requires ${specifier}, which does not resolve (npm ci?)`);
          }
      }
    }
  }
  return problems;
}

module.exports = { checkApp, packageName };

if (require.main === module) {
  const app = process.argv[2];
  if (!app) {
    console.error('usage: node tools/build/check-app.js <app folder under apps/>');
    process.exit(2);
  }
  const problems = checkApp(app);
  for (const problem of problems) console.error(`build: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`build: dist/apps/${app}/src runs from dist/ and production dependencies`);
}
