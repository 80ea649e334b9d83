import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommandRequest, QueryRequest, Reply } from '@accord/contracts';
import { REQUEST_CLIENT, type RequestClient } from '@accord/messaging';
import { commandMetadata, type Caller } from '../auth/caller';
import { GatewayError } from '../problem/gateway-error';

/**
 * Sends commands and queries to the services through the `RequestClient` port and unwraps the
 * `Reply`: a value comes back, an error value is thrown as a `GatewayError` for the one filter.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger('Gateway');

  constructor(@Inject(REQUEST_CLIENT) private readonly client: RequestClient) {}

  /** A command on behalf of the caller (actor, time and correlation id travel with it). */
  command<Payload, Result>(subject: string, payload: Payload, caller: Caller, minPosition?: number): Promise<Result> {
    const metadata = commandMetadata(caller);
    const request: CommandRequest<Payload> = minPosition === undefined ? { metadata, payload } : { metadata, payload, minPosition };
    return this.send<CommandRequest<Payload>, Result>(subject, request);
  }

  /** A query; `minPosition` asks the service to answer no older than that store position. */
  query<Payload, Result>(subject: string, payload: Payload, minPosition?: number): Promise<Result> {
    const request: QueryRequest<Payload> = minPosition === undefined ? { payload } : { payload, minPosition };
    return this.send<QueryRequest<Payload>, Result>(subject, request);
  }

  private async send<Request, Result>(subject: string, request: Request): Promise<Result> {
    let reply: Reply<Result>;
    try {
      reply = await this.client.send<Request, Result>(subject, request);
    } catch (error) {
      // The port promises error values, not exceptions; if one escapes, the client still gets a
      // retryable 503 and the details stay in the log.
      this.logger.error(`request client threw on ${subject}`, error instanceof Error ? error.stack : String(error));
      throw new GatewayError({ kind: 'unavailable', code: 'service.unavailable', message: 'a service did not answer; try again shortly' });
    }
    if (!reply.ok) throw new GatewayError(reply.error);
    return reply.value;
  }
}
