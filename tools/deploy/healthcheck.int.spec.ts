import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// The image's HEALTHCHECK and every compose healthcheck run tools/deploy/healthcheck.js: Docker
// reads only its exit code, so that is what this spec pins down, against a loopback HTTP server.

const PROBE = join(__dirname, 'healthcheck.js');

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/hang') return; // never answers
    response.statusCode = request.url === '/health' ? 200 : 503;
    response.end(JSON.stringify({ status: response.statusCode === 200 ? 'ok' : 'down' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/**
 * Runs the probe as Docker does (a child process) and returns its exit code and stderr. Not
 * spawnSync: the server answering it lives in this process's event loop.
 */
function probe(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const { HEALTHCHECK_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PROBE, ...args],
      { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 20_000 },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

describe('tools/deploy/healthcheck.js', () => {
  it('exits 0 when the URL answers 2xx', async () => {
    expect(await probe([`${base}/health`])).toEqual({ code: 0, stderr: '' });
  });

  it('exits 1 and says why when the URL answers 503', async () => {
    expect(await probe([`${base}/down`])).toEqual({ code: 1, stderr: `${base}/down: HTTP 503\n` });
  });

  it('asks HEALTHCHECK_URL when given no argument (how the image probes a service)', async () => {
    expect((await probe([], { HEALTHCHECK_URL: `${base}/health` })).code).toBe(0);
    expect((await probe([], { HEALTHCHECK_URL: `${base}/down` })).code).toBe(1);
  });

  it('exits 1 when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const done = await probe([`http://127.0.0.1:${port}/health`]);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/ECONNREFUSED/);
  });

  it('gives up after HEALTHCHECK_TIMEOUT_MS on a server that never answers, and exits 1', async () => {
    const done = await probe([`${base}/hang`], { HEALTHCHECK_TIMEOUT_MS: '200' });
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/timeout/i);
  });
});
