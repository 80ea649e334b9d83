import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emitRow, log } from './common';
import {
  drain,
  freePort,
  httpClean,
  httpFigures,
  httpLoad,
  sessionToken,
  startApp,
  stopApps,
  waitUntilUp,
} from './http-load';
import { HTTP_SECONDS, WARMUP_SECONDS } from './services.section';

/**
 * Row 6: the embedded profile (`npm start`: every service in one process on PGlite) as a process of
 * its own on a temporary DATA_DIR, under the same POST /v1/accounts load as the services profile.
 */
export async function runEmbeddedSection(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const jwtSecret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  try {
    const started = performance.now();
    child = startApp('platform', {
      ...process.env,
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      INVITATION_LINK_KEY: randomBytes(32).toString('base64url'),
      PORT: String(port),
      HOST: '127.0.0.1',
      SMTP_URL: '',
    });
    const probe = await sessionToken(jwtSecret, { email: 'probe@example.com' });
    await waitUntilUp(baseUrl, probe, ['/v1/accounts', '/v1/me/invitations']);
    log(`  embedded profile up in ${((performance.now() - started) / 1000).toFixed(1)} s on ${baseUrl}`);
    const creators = await Promise.all(
      Array.from({ length: 256 }, (_, i) => sessionToken(jwtSecret, { email: `creator-${i}@example.com` })),
    );
    const post = { baseUrl, method: 'POST' as const, path: '/v1/accounts', body: { name: 'Bench' }, tokens: creators };
    await httpLoad({ ...post, connections: 32, seconds: WARMUP_SECONDS });
    await drain(baseUrl, post.path, creators[0]!, post.body);
    const posted = await httpLoad({ ...post, connections: 32, seconds: HTTP_SECONDS });
    log(`  POST (embedded): ${httpFigures(posted)}`);
    emitRow({
      id: 'post-embedded',
      figures: httpFigures(posted),
      met: posted.perSecond >= 1000 && posted.p99 <= 50 && httpClean(posted),
    });
  } finally {
    if (child) await stopApps([child]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
