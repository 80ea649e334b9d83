import type { Reply } from '@accord/contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { ClientProxyFactory, NatsRecordBuilder, Transport } from '@nestjs/microservices';
import { headers as natsHeaders } from 'nats';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { describeError } from './backoff';
import { natsAuthOptions, type NatsAuth } from './nats-auth';
import { WireRequestClient, type RequestObserver, type RequestOptions } from './request-client';
import { DEFAULT_REQUEST_TIMEOUT_MS, isReply, unavailable } from './reply-values';
import { prefixSubject } from './subject-prefix';

export interface NatsRequestClientOptions {
  /** NATS servers; ignored when `client` is given. */
  readonly servers?: string | string[];
  /** An existing Nest client proxy (e.g. from `ClientsModule`) to reuse instead of creating one. */
  readonly client?: ClientProxy;
  /** Must equal the servers' prefix (see `natsServerOptions`). */
  readonly prefix?: string;
  readonly defaultTimeoutMs?: number;
  readonly name?: string;
  /** This process's NATS user (or creds file); ignored when `client` is given. */
  readonly auth?: NatsAuth;
  /** Told of each request's subject, outcome and duration (the process's metrics). */
  readonly observer?: RequestObserver;
}

/**
 * `RequestClient` over Nest's NATS `ClientProxy`, so the wire format is exactly what the services'
 * `@MessagePattern` handlers expect. Every transport failure becomes an `unavailable` value:
 * callers branch on `reply.ok`, they never need a try/catch around a request.
 */
export class NatsRequestClient extends WireRequestClient {
  private readonly client: ClientProxy;
  private readonly prefix: string;
  private readonly defaultTimeoutMs: number;

  constructor(options: NatsRequestClientOptions) {
    super(options.observer);
    this.client =
      options.client ??
      ClientProxyFactory.create({
        transport: Transport.NATS,
        options: {
          servers: options.servers,
          ...(options.name ? { name: options.name } : {}),
          ...natsAuthOptions(options.auth),
        },
      });
    this.prefix = options.prefix ?? '';
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Optional eager connect (e.g. in `onModuleInit`) so a bad NATS URL fails at boot, not on first use. */
  async connect(): Promise<void> {
    await this.client.connect();
  }

  async sendRaw(subject: string, request: unknown, options?: RequestOptions): Promise<Reply<unknown>> {
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    const wireSubject = prefixSubject(this.prefix, subject);
    try {
      // The timeout covers connecting too: a NATS that is down must not hang the caller.
      const reply = await firstValueFrom(
        this.client.send<unknown, unknown>(wireSubject, withTraceHeader(request)).pipe(timeout({ first: timeoutMs })),
      );
      if (!isReply(reply)) return unavailable(`${subject}: the service sent a reply that is not a Reply value`);
      return reply;
    } catch (error) {
      return unavailable(`${subject}: ${explain(error, timeoutMs)}`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/**
 * A command's W3C `traceparent` (its metadata, which the handler reads in both profiles) also rides
 * as a NATS header, where NATS-level tooling looks for it; the payload on the wire is unchanged.
 */
function withTraceHeader(request: unknown): unknown {
  const traceparent = (request as { metadata?: { traceparent?: unknown } } | null)?.metadata?.traceparent;
  if (typeof traceparent !== 'string') return request;
  const headers = natsHeaders();
  headers.set('traceparent', traceparent);
  return new NatsRecordBuilder(request).setHeaders(headers).build();
}

function explain(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `no reply within ${timeoutMs} ms`;
  const text = describeError(error);
  // Nest's ClientNats turns NATS's 503 "no responders" status into an empty-response error: it
  // arrives at once, so callers learn "nobody serves this" without waiting for the timeout.
  if (/no subscribers|empty response/i.test(text)) return 'no service is listening';
  // A handler that threw reaches us as Nest's RpcException payload ({ status, message }).
  return `request failed: ${text}`;
}
