import { fail, type CommandMetadata, type Reply } from '@accord/contracts';
import { WireRequestClient } from '@accord/messaging';

/** A CommandRequest or QueryRequest as the gateway sent it. */
export interface SentRequest {
  readonly payload: Record<string, unknown>;
  readonly metadata?: CommandMetadata;
  readonly minPosition?: number;
}

type Responder = (request: unknown) => Reply<unknown> | Promise<Reply<unknown>>;

/**
 * A stub of our own `RequestClient` port for unit specs: records every request and answers with
 * canned replies per subject. A subject with no reply set answers `unavailable`, like NATS with
 * no responder.
 */
export class FakeRequestClient extends WireRequestClient {
  readonly sent: { readonly subject: string; readonly request: SentRequest }[] = [];
  private readonly responders = new Map<string, Responder>();

  /** Answers `subject` with `reply` (or what `responder` returns) from now on. */
  on(subject: string, reply: Reply<unknown> | Responder): this {
    this.responders.set(subject, typeof reply === 'function' ? reply : () => reply);
    return this;
  }

  /** The requests sent to `subject`, oldest first. */
  sentTo(subject: string): SentRequest[] {
    return this.sent.filter((s) => s.subject === subject).map((s) => s.request);
  }

  reset(): void {
    this.sent.length = 0;
    this.responders.clear();
  }

  async sendRaw(subject: string, request: unknown): Promise<Reply<unknown>> {
    this.sent.push({ subject, request: request as SentRequest });
    const responder = this.responders.get(subject);
    return responder
      ? responder(request)
      : fail({ kind: 'unavailable', code: 'test.no_responder', message: `no responder for ${subject}` });
  }

  async close(): Promise<void> {}
}
