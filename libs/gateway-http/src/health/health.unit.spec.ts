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
