import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exposition } from './accord-metrics';

/** What a service process answers on `GET /health`: 200 when `ready`, else 503, both as JSON. */
export interface Readiness {
  readonly ready: boolean;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface OpsServerOptions {
  readonly port: number;
  readonly host: string;
  /** `GET /metrics`: the process's Prometheus text. */
  readonly metrics: () => Promise<Exposition>;
  /** `GET /health`: readiness of the process. */
  readonly readiness: () => Promise<Readiness>;
}

export interface OpsServer {
  /** The port it listens on (the one picked when configured with 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A service process's small HTTP "ops" port, for orchestrators and Prometheus only (the services
 * take no other HTTP): `GET /health/live` (the process is up: 200), `GET /health` (readiness, 200
 * or 503 JSON) and `GET /metrics`. Nothing else is served; a failing check answers 503, never
 * crashes the process.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    void answer(options, request, response);
  });
  // A scrape or a probe never holds the process open at shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server),
  };
}

async function answer(options: OpsServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, json({ error: 'GET only' }));
    if (path === '/health/live') return send(response, 200, json({ status: 'live' }));
    if (path === '/health') {
      const readiness = await options.readiness();
      return send(response, readiness.ready ? 200 : 503, json(readiness.body));
    }
    if (path === '/metrics') {
      const { contentType, body } = await options.metrics();
      return send(response, 200, { contentType, body });
    }
    return send(response, 404, json({ error: 'not found: the ops port serves /health/live, /health and /metrics' }));
  } catch (error) {
    return send(response, 503, json({ status: 'unavailable', error: (error as Error)?.name ?? 'error' }));
  }
}

function json(value: unknown): Exposition {
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function send(response: ServerResponse, status: number, { contentType, body }: Exposition): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
