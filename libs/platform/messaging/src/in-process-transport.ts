import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import { BaseRpcContext, Server } from '@nestjs/microservices';

/** Identifies the in-process transport, e.g. for `@MessagePattern(subject, IN_PROCESS_TRANSPORT)`. */
export const IN_PROCESS_TRANSPORT = Symbol('IN_PROCESS_TRANSPORT');

/** The handler context in-process: `[subject]`, like `NatsContext` whose first argument is the subject. */
export class InProcessContext extends BaseRpcContext<[string]> {
  getSubject(): string {
    return this.args[0];
  }
}

/**
 * The embedded profile's "bus": a Nest microservice server with no network at all. Nest registers
 * every `@MessagePattern` handler on it (wrapped with guards, pipes, interceptors and exception
 * filters, exactly as for NATS); `InProcessRequestClient` then calls those handlers directly.
 * Controllers are therefore written once and run unchanged in both profiles.
 *
 * Wire it with `app.connectMicroservice({ strategy: transport })` and `app.startAllMicroservices()`.
 */
export class InProcessTransport extends Server implements CustomTransportStrategy {
  override transportId = IN_PROCESS_TRANSPORT;
  private listening = false;

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.listening = true;
    callback();
  }

  close(): void {
    this.listening = false;
  }

  /** The request/reply handler for `subject`, or null when none is registered or we are closed. */
  requestHandler(subject: string): MessageHandler | null {
    if (!this.listening) return null;
    const handler = this.getHandlerByPattern(subject);
    // Event handlers (`@EventPattern`) answer nothing: asking one is as good as asking nobody.
    return handler && !handler.isEventHandler ? handler : null;
  }

  // Server's abstract surface: there is no broker to report status from or to unwrap.
  on(): void {
    // no status events: nothing can disconnect
  }

  unwrap<T>(): T {
    throw new Error('InProcessTransport has no underlying broker to unwrap');
  }
}
