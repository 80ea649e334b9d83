import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * What a browser gets with the console page: scripts, styles and API calls from this origin only,
 * never framed (clickjacking an owner's "Remove"), no referrer (links carry invitation tokens).
 */
export const CONSOLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The web console (dist/console, built by `nx run console:build`) at `/`: a browser asking for
 * HTML gets the page, every other client keeps the JSON index of `GET /`; the hashed assets under
 * `/assets/` are immutable. Without a built console nothing changes — the API works on its own.
 */
export async function serveConsole(app: NestFastifyApplication, dir: string | undefined): Promise<boolean> {
  if (!dir || !existsSync(join(dir, 'index.html'))) return false;
  const page = readFileSync(join(dir, 'index.html'));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const path = request.url.split('?')[0];
    if (path !== '/' && path !== '/index.html') return;
    if (!prefersHtml(request.headers.accept)) return;
    return reply.headers(CONSOLE_PAGE_HEADERS).send(page);
  });
  await app.register(fastifyStatic as never, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    index: false,
    immutable: true,
    maxAge: '365d',
  });
  return true;
}

/** A browser's navigation asks for text/html; API clients ask for JSON or anything. */
export function prefersHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}
