import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  CommandRequest,
  CommandSubject,
  PayloadOf,
  QueryRequest,
  QuerySubject,
  Reply,
  ResultOf,
} from '@accord/contracts';
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
  command<S extends CommandSubject>(
    subject: S,
    payload: PayloadOf<S>,
    caller: Caller,
    minPosition?: number,
  ): Promise<ResultOf<S>> {
    const metadata = commandMetadata(caller);
    const request: CommandRequest<PayloadOf<S>> =
      minPosition === undefined ? { metadata, payload } : { metadata, payload, minPosition };
    return this.unwrap(subject, () => this.client.send(subject, request));
  }

  /** A query; `minPosition` asks the service to answer no older than that store position. */
  query<S extends QuerySubject>(subject: S, payload: PayloadOf<S>, minPosition?: number): Promise<ResultOf<S>> {
    const request: QueryRequest<PayloadOf<S>> = minPosition === undefined ? { payload } : { payload, minPosition };
    return this.unwrap(subject, () => this.client.send(subject, request));
  }

  private async unwrap<Result>(subject: string, send: () => Promise<Reply<Result>>): Promise<Result> {
    let reply: Reply<Result>;
    try {
      reply = await send();
    } catch (error) {
      // The port promises error values, not exceptions; if one escapes, the client still gets a
      // retryable 503 and the details stay in the log.
      this.logger.error(`request client threw on ${subject}`, error instanceof Error ? error.stack : String(error));
      throw new GatewayError({
        kind: 'unavailable',
        code: 'service.unavailable',
        message: 'a service did not answer; try again shortly',
      });
    }
    if (!reply.ok) throw new GatewayError(reply.error);
    return reply.value;
  }
}
