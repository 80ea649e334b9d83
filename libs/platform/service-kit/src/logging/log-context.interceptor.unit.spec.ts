import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { ok, type EventEnvelope, type Reply } from '@accord/contracts';
import { InProcessRequestClient, InProcessTransport } from '@accord/messaging';
import { currentLogContext, type LogContext } from './log-context';
import { LogContextInterceptor } from './log-context.interceptor';
import { logContextOfEvent } from './message-log-context';

const SUBJECT = 'accord.test.log-context';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Answers with the log context it runs in, after an await (the context must survive it). */
@Controller()
class ContextEchoController {
  @MessagePattern(SUBJECT)
  async context(): Promise<Reply<LogContext>> {
    await new Promise((resolve) => setImmediate(resolve));
    return ok(currentLogContext());
  }
}

@Module({
  controllers: [ContextEchoController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: LogContextInterceptor }],
})
class ContextEchoModule {}

describe('the log context of a service handler', () => {
  const transport = new InProcessTransport();
  const client = new InProcessRequestClient(transport);
  let app: INestMicroservice;

  beforeAll(async () => {
    app = await NestFactory.createMicroservice(ContextEchoModule, { strategy: transport, logger: false });
    await app.listen();
  });
  afterAll(() => app.close());

  it("is the command's ids, actor, account and trace id — nothing of its payload beyond the account", async () => {
    const reply = await client.sendRaw(SUBJECT, {
      metadata: {
        actor: { userId: 'olivia', via: 'api_token', tokenId: 't-1' },
        now: '2026-01-01T00:00:00.000Z',
        correlationId: 'c-1',
        causationId: 'e-1',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
      payload: { accountId: 'a-1', name: 'secret name' },
    });
    expect(reply).toEqual({
      ok: true,
      value: {
        correlationId: 'c-1',
        causationId: 'e-1',
        accountId: 'a-1',
        userId: 'olivia',
        via: 'api_token',
        traceId: TRACE_ID,
      },
    });
  });

  it('is the account alone for a query, and ignores fields of the wrong type', async () => {
    const reply = await client.sendRaw(SUBJECT, { payload: { accountId: 'a-2' }, metadata: { correlationId: 42 } });
    expect(reply).toEqual({ ok: true, value: { accountId: 'a-2' } });
  });
});

describe('the log context of a reaction', () => {
  it('is its cause: same correlation, caused by the event, on its account, in its trace', () => {
    const event = {
      id: 'e-7',
      correlationId: 'c-7',
      accountId: 'a-7',
      actor: { userId: 'mike', via: 'session' },
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    } as EventEnvelope;
    expect(logContextOfEvent(event)).toEqual({
      correlationId: 'c-7',
      causationId: 'e-7',
      accountId: 'a-7',
      userId: 'mike',
      via: 'session',
      traceId: TRACE_ID,
    });
  });
});
