import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { InProcessRequestClient } from './in-process-request-client';
import { InProcessTransport } from './in-process-transport';
import { EchoModule, echoSubjects, HandledLog } from './test-fixtures/echo.module';

// The embedded profile: the same controller as over NATS, reached through the in-process server.
describe('In-process request/reply', () => {
  const log = new HandledLog();
  let app: INestApplication;
  let transport: InProcessTransport;
  let client: InProcessRequestClient;

  beforeAll(async () => {
    // A hybrid app like the platform's: HTTP (Fastify) plus the in-process microservice server.
    app = await NestFactory.create(EchoModule.forInstance('embedded', log), new FastifyAdapter(), { logger: false });
    transport = new InProcessTransport();
    app.connectMicroservice({ strategy: transport });
    await app.startAllMicroservices();
    await app.init();
    client = new InProcessRequestClient(transport);
  });

  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('invokes the @MessagePattern handler and returns its reply as JSON', async () => {
    const reply = await client.sendRaw(echoSubjects.echo, { id: 'e1', text: 'hi' });
    // `at` was a Date in the handler: what arrives is its JSON string, exactly as over NATS.
    expect(reply).toEqual({
      ok: true,
      value: { id: 'e1', text: 'HI', instance: 'embedded', at: '1970-01-01T00:00:00.000Z' },
    });
    expect(log.ids).toContain('e1');
  });

  it('passes error values through unchanged', async () => {
    expect(await client.sendRaw(echoSubjects.refuse, {})).toEqual({
      ok: false,
      error: { kind: 'forbidden', code: 'test.refused', message: 'Not for you.' },
    });
  });

  it('unwraps Observable replies', async () => {
    expect(await client.sendRaw(echoSubjects.observable, {})).toEqual({ ok: true, value: 42 });
  });

  it('hands the handler a copy of the payload', async () => {
    const payload = { list: ['mine'] };
    expect(await client.sendRaw(echoSubjects.mutate, payload)).toEqual({ ok: true, value: 2 });
    expect(payload.list).toEqual(['mine']);
  });

  it('maps an unknown subject to unavailable', async () => {
    expect(await client.sendRaw('accord.test.nobody-home', {})).toEqual({
      ok: false,
      error: {
        kind: 'unavailable',
        code: 'service.unavailable',
        message: expect.stringContaining('no service is listening'),
      },
    });
  });

  it('maps a handler crash to unavailable', async () => {
    expect(await client.sendRaw(echoSubjects.crash, {})).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', code: 'service.unavailable' },
    });
  });

  it('maps a timeout to unavailable', async () => {
    const reply = await client.sendRaw(echoSubjects.slow, { ms: 500 }, { timeoutMs: 50 });
    expect(reply).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', message: expect.stringContaining('no reply within 50 ms') },
    });
  });
});
