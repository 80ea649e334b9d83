import { existsSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/**
 * The node arguments that run an app from its build (`npm run build`): drills and the bench
 * measure the JavaScript that ships, not ts-node. A missing build fails loudly by name.
 */
export function builtAppArgs(app: string): string[] {
  const entry = join(repoRoot, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  return ['--enable-source-maps', entry];
}
