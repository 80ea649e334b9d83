import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { ok, type Reply } from '@accord/contracts';
import { natsTestPrefix, TEST_NATS_URL } from '@accord/testing';
import { natsServerOptions } from './nats-server-options';
import { NatsRequestClient } from './nats-request-client';

const SUBJECT = 'accord.test.trace';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface Seen {
  readonly header: string | null;
  readonly request: unknown;
}

/** Answers with what arrived: the `traceparent` NATS header and the request as the handler got it. */
@Controller()
class TraceEchoController {
  @MessagePattern(SUBJECT)
  seen(@Payload() request: unknown, @Ctx() context: NatsContext): Reply<Seen> {
    return ok({ header: context.getHeaders()?.get('traceparent') || null, request });
  }
}

@Module({ controllers: [TraceEchoController] })
class TraceEchoModule {}

// Issue 12: a command's traceparent rides as a NATS header too; the handler's request is unchanged.
describe('traceparent over NATS', () => {
  const prefix = natsTestPrefix();
  let app: INestMicroservice;
  let client: NatsRequestClient;

  beforeAll(async () => {
    app = await NestFactory.createMicroservice(TraceEchoModule, {
      ...natsServerOptions({ servers: TEST_NATS_URL, queue: 'trace-echo', prefix }),
      logger: false,
    });
    await app.listen();
    client = new NatsRequestClient({ servers: TEST_NATS_URL, prefix });
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it("sends a command's traceparent as a NATS header and its metadata as sent", async () => {
    const request = { metadata: { correlationId: 'c-1', traceparent: TRACEPARENT }, payload: { name: 'Acme' } };
    expect(await client.sendRaw(SUBJECT, request)).toEqual({ ok: true, value: { header: TRACEPARENT, request } });
  });

  it('sends no header for a request without one (a query)', async () => {
    const request = { payload: { accountId: 'a-1' } };
    expect(await client.sendRaw(SUBJECT, request)).toEqual({ ok: true, value: { header: null, request } });
  });
});
