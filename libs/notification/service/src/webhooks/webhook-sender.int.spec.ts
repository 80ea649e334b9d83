import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender';

// The sender against a real receiver on loopback: what it sends, what it keeps of the answer, and
// the address guard at connect time (NOT-11) — `localhost` is a name that resolves to loopback.
describe('sending one webhook delivery', () => {
  let server: Server;
  let port: number;
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  let answer: { status: number; body: string } = { status: 204, body: '' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (received.length = 0));

  const send = (allowLoopback: boolean) =>
    sendWebhook(`http://localhost:${port}/hook`, { 'webhook-id': 'evt-1' }, '{"a":1}', 2_000, { allowLoopback });

  it('where the profile allows loopback, posts the body with its headers and keeps a short excerpt of the answer', async () => {
    answer = { status: 500, body: 'x'.repeat(10_000) };
    const outcome = await send(true);
    expect(received).toEqual([
      {
        headers: expect.objectContaining({ 'webhook-id': 'evt-1', 'content-type': 'application/json' }),
        body: '{"a":1}',
      },
    ]);
    expect(outcome).toMatchObject({ ok: false, statusCode: 500, error: null });
    expect(outcome.response!.length).toBeLessThanOrEqual(500);
  });

  it('a 2xx is delivered', async () => {
    answer = { status: 204, body: '' };
    expect(await send(true)).toMatchObject({ ok: true, statusCode: 204, response: null });
  });

  it('refuses to connect when the host name resolves to loopback and the profile does not allow it', async () => {
    const outcome = await send(false);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'ADDRESS_REFUSED' });
    expect(received).toEqual([]);
  });

  it('a receiver that does not answer in time is a timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    const outcome = await sendWebhook(`http://127.0.0.1:${silentPort}/`, {}, '{}', 200, { allowLoopback: true });
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    expect(outcome).toMatchObject({ ok: false, error: 'timeout' });
  });
});
