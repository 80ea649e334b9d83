import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { natsTestPrefix, TEST_NATS_URL } from '@accord/testing';
import { natsServerOptions } from './nats-server-options';
import { NatsRequestClient } from './nats-request-client';
import { EchoModule, echoSubjects, HandledLog } from './test-fixtures/echo.module';

// Request/reply through Nest's NATS transport on the machine's NATS, one subject prefix per run.
describe('NATS request/reply', () => {
  const prefix = natsTestPrefix();
  const queue = 'echo-service';
  const apps: INestMicroservice[] = [];
  const clients: NatsRequestClient[] = [];

  async function startReplica(instance: string, log: HandledLog): Promise<void> {
    const app = await NestFactory.createMicroservice(EchoModule.forInstance(instance, log), {
      ...natsServerOptions({ servers: TEST_NATS_URL, queue, prefix }),
      logger: false,
    });
    await app.listen();
    apps.push(app);
  }

  function client(options: { prefix?: string; servers?: string } = {}): NatsRequestClient {
    const c = new NatsRequestClient({ servers: options.servers ?? TEST_NATS_URL, prefix: options.prefix ?? prefix });
    clients.push(c);
    return c;
  }

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(apps.map((a) => a.close()));
  });

  describe('with two replicas in one queue group', () => {
    const logA = new HandledLog();
    const logB = new HandledLog();

    beforeAll(async () => {
      await startReplica('A', logA);
      await startReplica('B', logB);
    });

    it('round-trips a reply value as JSON', async () => {
      const reply = await client().sendRaw(echoSubjects.echo, { id: 'one', text: 'hello' });
      expect(reply).toEqual({
        ok: true,
        value: { id: 'one', text: 'HELLO', instance: expect.stringMatching(/^[AB]$/), at: '1970-01-01T00:00:00.000Z' },
      });
    });

    it('passes error values through unchanged', async () => {
      const reply = await client().sendRaw(echoSubjects.refuse, {});
      expect(reply).toEqual({ ok: false, error: { kind: 'forbidden', code: 'test.refused', message: 'Not for you.' } });
    });

    it('unwraps Observable replies', async () => {
      expect(await client().sendRaw(echoSubjects.observable, {})).toEqual({ ok: true, value: 42 });
    });

    it('handles each request exactly once across the replicas', async () => {
      const c = client();
      const ids = Array.from({ length: 40 }, (_, i) => `q${i}`);
      const replies = await Promise.all(ids.map((id) => c.sendRaw(echoSubjects.echo, { id, text: id })));

      expect(replies.every((r) => r.ok)).toBe(true);
      const handled = [...logA.ids, ...logB.ids].filter((id) => id.startsWith('q'));
      expect(handled.sort()).toEqual([...ids].sort());
      // The queue group spreads the load (a 1-in-2^39 chance that one replica gets all 40).
      expect(logA.ids.filter((id) => id.startsWith('q')).length).toBeGreaterThan(0);
      expect(logB.ids.filter((id) => id.startsWith('q')).length).toBeGreaterThan(0);
    });

    it('maps a handler crash to unavailable', async () => {
      const reply = await client().sendRaw(echoSubjects.crash, {});
      expect(reply).toMatchObject({ ok: false, error: { kind: 'unavailable', code: 'service.unavailable' } });
    });

    it('maps a timeout to unavailable', async () => {
      const started = Date.now();
      const reply = await client().sendRaw(echoSubjects.slow, { ms: 1_000 }, { timeoutMs: 150 });
      expect(reply).toEqual({
        ok: false,
        error: {
          kind: 'unavailable',
          code: 'service.unavailable',
          message: expect.stringContaining('no reply within 150 ms'),
        },
      });
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('keeps runs apart: another prefix finds no responder', async () => {
      const reply = await client({ prefix: natsTestPrefix() }).sendRaw(echoSubjects.echo, { id: 'x', text: 'x' });
      expect(reply).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    });
  });

  it('answers unavailable at once when no service listens (no waiting for the timeout)', async () => {
    const started = Date.now();
    const reply = await client().sendRaw('accord.test.nobody-home', {});
    expect(reply).toEqual({
      ok: false,
      error: {
        kind: 'unavailable',
        code: 'service.unavailable',
        message: expect.stringContaining('no service is listening'),
      },
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers unavailable when NATS itself cannot be reached', async () => {
    const reply = await client({ servers: 'nats://127.0.0.1:1' }).sendRaw(
      echoSubjects.echo,
      { id: 'x', text: 'x' },
      { timeoutMs: 2_000 },
    );
    expect(reply).toMatchObject({ ok: false, error: { kind: 'unavailable', code: 'service.unavailable' } });
  });
});
