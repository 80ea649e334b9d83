import type { HealthReport } from '../gateway-options';
import { startGateway, type Harness } from '../testing/gateway-harness';

describe('GET /health', () => {
  let gateway: Harness;
  let ready: boolean | Error;

  beforeAll(async () => {
    gateway = await startGateway({
      ready: async () => {
        if (ready instanceof Error) throw ready;
        return ready;
      },
    });
  });
  afterAll(() => gateway.close());

  const health = () => gateway.request({ method: 'GET', url: '/health' });

  it('503 problem with Retry-After while not ready', async () => {
    ready = false;
    const res = await health();
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('503 when the readiness check fails, without its message', async () => {
    ready = new Error('database at 10.0.0.5 refused');
    const res = await health();
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('10.0.0.5');
  });

  it('200 {status:"ok"} once ready', async () => {
    ready = true;
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /health readiness details (issue 8, rule 3)', () => {
  let gateway: Harness;
  let report: HealthReport | Error;

  beforeAll(async () => {
    gateway = await startGateway({
      health: async () => {
        if (report instanceof Error) throw report;
        return report;
      },
    });
  });
  afterAll(() => gateway.close());

  const health = () => gateway.request({ method: 'GET', url: '/health' });
  const failure = {
    name: 'projection:notification.directory-inbox.v1',
    eventId: '0b9c6a9e-4d1f-4a3e-9a53-6f1e0c2d7b11',
    eventType: 'MemberRemoved',
    position: 1042,
    error: 'cannot apply MemberRemoved',
    since: '2024-05-01T12:00:00.000Z',
  };

  it('200 {status:"ok"} while every component runs', async () => {
    report = { status: 'ok' };
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('still 200 when a component failed: degraded, naming it with the event id, type, position, error and since', async () => {
    report = { status: 'degraded', failed: [failure] };
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'degraded', failed: [failure] });
  });

  it('degraded with the services that did not answer, alongside the failed components of the others', async () => {
    report = {
      status: 'degraded',
      failed: [{ ...failure, service: 'notification-service' }],
      unreachable: ['token-service'],
    };
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'degraded',
      failed: [{ ...failure, service: 'notification-service' }],
      unreachable: ['token-service'],
    });
  });

  it('passes on only the documented fields (never event data a report might carry)', async () => {
    report = { status: 'degraded', failed: [{ ...failure, data: { email: 'olivia@example.com' } } as typeof failure] };
    const res = await health();
    expect(res.body).not.toContain('olivia@example.com');
    expect(res.json()).toEqual({ status: 'degraded', failed: [failure] });
  });

  it('a health hook that throws: degraded, without its message', async () => {
    report = new Error('nats at 10.0.0.5 refused');
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('degraded');
    expect(res.body).not.toContain('10.0.0.5');
  });
});
