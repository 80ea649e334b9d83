import type { CustomStrategy, MessageHandler, NatsOptions } from '@nestjs/microservices';
import { ServerNats } from '@nestjs/microservices';
import type { Msg as NatsMsg } from 'nats';
import { natsAuthOptions, type NatsAuth } from './nats-auth';
import { prefixSubject } from './subject-prefix';

export interface NatsServerOptions {
  readonly servers: string | string[];
  /** Queue group: every replica of one service joins it, so each request is handled by ONE replica. */
  readonly queue: string;
  /** Prepended to every `@MessagePattern` subject (`<prefix>.<subject>`); must match the clients'. */
  readonly prefix?: string;
  /** Connection name shown by the NATS monitoring endpoints. */
  readonly name?: string;
  /** On shutdown: stop taking requests, then wait this long for in-flight ones. Default 1 s. */
  readonly gracePeriodMs?: number;
  /** This process's NATS user (or creds file); none for a server without auth. */
  readonly auth?: NatsAuth;
}

/**
 * Nest's own NATS server, only taught to prefix the subjects it subscribes to. Prefixing the route
 * at registration time means `ServerNats` subscribes to, and looks handlers up by, the prefixed
 * subject, while controllers keep naming the contract's subjects (`subjects.*`).
 */
export class PrefixedNatsServer extends ServerNats {
  constructor(
    options: Required<NatsOptions>['options'],
    private readonly prefix: string,
  ) {
    super(options);
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler?: boolean,
    extras?: Record<string, unknown>,
  ): void {
    super.addHandler(
      prefixSubject(this.prefix, this.normalizePattern(pattern as string)),
      callback,
      isEventHandler,
      extras,
    );
  }

  /**
   * A command or query comes from a requester, never from a JetStream stream. A user allowed to
   * create a push consumer (the read-only `events-reader`) could point its deliver subject at a
   * service subject and have the server replay stored events there; such deliveries carry a
   * `$JS.ACK.…` reply subject, and are dropped here unhandled.
   */
  override async handleMessage(channel: string, natsMsg: NatsMsg): Promise<unknown> {
    if (isJetStreamDelivery(natsMsg)) return undefined;
    return super.handleMessage(channel, natsMsg);
  }
}

/** A message JetStream delivered from a stream (its reply is the ack subject), not a request. */
export function isJetStreamDelivery(msg: { readonly reply?: string }): boolean {
  return typeof msg.reply === 'string' && msg.reply.startsWith('$JS.ACK.');
}

/**
 * The options for `app.connectMicroservice(...)` / `NestFactory.createMicroservice(...)` in the
 * services profile: Nest's NATS transport with this service's queue group. Returned as a custom
 * strategy so the prefix can be applied; the strategy IS `ServerNats` (transportId NATS), so
 * `@MessagePattern(subject, Transport.NATS)` still binds to it.
 */
export function natsServerOptions(options: NatsServerOptions): CustomStrategy {
  const natsOptions: Required<NatsOptions>['options'] = {
    servers: options.servers,
    queue: options.queue,
    ...natsAuthOptions(options.auth),
    ...(options.name ? { name: options.name } : {}),
    // Let in-flight requests finish on shutdown instead of dropping them mid-handler.
    gracefulShutdown: true,
    gracePeriod: options.gracePeriodMs ?? 1_000,
  };
  return { strategy: new PrefixedNatsServer(natsOptions, options.prefix ?? '') };
}
