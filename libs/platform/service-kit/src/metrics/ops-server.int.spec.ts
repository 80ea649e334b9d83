import { ConsumerHealth } from '../consumer-health';
import { createMetrics } from './accord-metrics';
import { startOpsServer, type OpsServer, type Readiness } from './ops-server';
import { parsePrometheusText, sampleValue } from './prometheus-text';

describe('the ops server of a service process (OPS_PORT)', () => {
  const health = new ConsumerHealth();
  const metrics = createMetrics({ health });
  let readiness: Readiness = { ready: true, body: { status: 'ok' } };
  let server: OpsServer;
  const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server.port}${path}`, { method });

  beforeAll(async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: () => metrics.scrape(),
      readiness: async () => readiness,
    });
  });
  afterAll(() => server.close());

  it('answers /health/live with 200 whatever the readiness', async () => {
    readiness = { ready: false, body: { status: 'unavailable', database: 'down' } };
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'live' });
  });

  it('answers /health with 200 when ready and 503 with the JSON body when not', async () => {
    readiness = { ready: true, body: { status: 'ok', nats: 'ok', database: 'ok' } };
    const ready = await get('/health');
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', nats: 'ok', database: 'ok' }]);
    readiness = { ready: false, body: { status: 'unavailable', nats: 'down', database: 'ok' } };
    const notReady = await get('/health');
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await notReady.json()).toEqual({ status: 'unavailable', nats: 'down', database: 'ok' });
  });

  it('answers /metrics with the registry in Prometheus text', async () => {
    metrics.handled('query', 'accord.query.membership.members', 'ok');
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(await response.text());
    expect(sampleValue(samples, 'accord_queries_total', { subject: 'accord.query.membership.members' })).toBe(1);
  });

  it('a readiness check that throws answers 503, and the server keeps serving', async () => {
    const failing = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: () => metrics.scrape(),
      readiness: () => Promise.reject(new Error('boom')),
    });
    try {
      const response = await fetch(`http://127.0.0.1:${failing.port}/health`);
      expect(response.status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${failing.port}/health/live`)).status).toBe(200);
    } finally {
      await failing.close();
    }
  });

  it('serves nothing else: 404 for other paths, 405 for other methods', async () => {
    expect((await get('/v1/accounts')).status).toBe(404);
    expect((await get('/metrics', 'POST')).status).toBe(405);
  });

  it('a port already taken: start-up fails', async () => {
    await expect(
      startOpsServer({
        port: server.port,
        host: '127.0.0.1',
        metrics: () => metrics.scrape(),
        readiness: async () => readiness,
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
