import type { Reply } from '@accord/contracts';
import { isObservable, lastValueFrom } from 'rxjs';
import { describeError } from './backoff';
import { InProcessContext, type InProcessTransport } from './in-process-transport';
import { WireRequestClient, type RequestObserver, type RequestOptions } from './request-client';
import { DEFAULT_REQUEST_TIMEOUT_MS, isReply, unavailable, wireCopy } from './reply-values';

export interface InProcessRequestClientOptions {
  readonly defaultTimeoutMs?: number;
  /** Told of each request's subject, outcome and duration (the process's metrics). */
  readonly observer?: RequestObserver;
}

/**
 * `RequestClient` for the embedded profile: invokes the `@MessagePattern` handler registered on
 * the `InProcessTransport` of this same process. Payload and reply are deep-copied (JSON round
 * trip) so nothing that would not survive the wire (class instances, Dates, shared references a
 * handler could mutate) works here and then breaks in the services profile.
 */
export class InProcessRequestClient extends WireRequestClient {
  private readonly defaultTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly transport: InProcessTransport,
    options: InProcessRequestClientOptions = {},
  ) {
    super(options.observer);
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async sendRaw(subject: string, request: unknown, options?: RequestOptions): Promise<Reply<unknown>> {
    const handler = this.closed ? null : this.transport.requestHandler(subject);
    if (!handler) return unavailable(`${subject}: no service is listening`);
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([this.invoke(handler, subject, wireCopy(request)), timedOut]);
      if (result === 'timeout') return unavailable(`${subject}: no reply within ${timeoutMs} ms`);
      const reply = wireCopy(result);
      if (!isReply(reply)) return unavailable(`${subject}: the service sent a reply that is not a Reply value`);
      return reply;
    } catch (error) {
      // Nest's RPC exception filter turns a thrown handler error into an error notification.
      return unavailable(`${subject}: request failed: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Nest's wrapped handlers return a Promise of a value or of an Observable: unwrap both. */
  private async invoke(
    handler: NonNullable<ReturnType<InProcessTransport['requestHandler']>>,
    subject: string,
    data: unknown,
  ): Promise<unknown> {
    const result: unknown = await handler(data, new InProcessContext([subject]));
    return isObservable(result) ? lastValueFrom(result) : result;
  }
}
