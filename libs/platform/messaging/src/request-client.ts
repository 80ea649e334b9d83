import type {
  CommandRequest,
  CommandSubject,
  PayloadOf,
  QueryRequest,
  QuerySubject,
  Reply,
  RequestSubject,
  ResultOf,
} from '@accord/contracts';

export interface RequestOptions {
  readonly timeoutMs?: number;
}

/**
 * Sends a command or query to the service that owns `subject` and waits for its reply.
 * Services answer with `Reply` values (errors are values); a transport failure (no responder,
 * timeout) comes back as an `unavailable` error value, never as a thrown exception.
 * The request and the reply's value are the subject's, as `SubjectMap` says.
 */
export interface RequestClient {
  send<S extends CommandSubject>(
    subject: S,
    request: CommandRequest<PayloadOf<S>>,
    options?: RequestOptions,
  ): Promise<Reply<ResultOf<S>>>;
  send<S extends QuerySubject>(
    subject: S,
    request: QueryRequest<PayloadOf<S>>,
    options?: RequestOptions,
  ): Promise<Reply<ResultOf<S>>>;
  close(): Promise<void>;
}

/**
 * A `RequestClient` over a transport that moves untyped JSON: the transport implements `sendRaw`,
 * and `send` gives it the types of `SubjectMap` (both ends compile against the same map).
 */
export abstract class WireRequestClient implements RequestClient {
  send<S extends CommandSubject>(
    subject: S,
    request: CommandRequest<PayloadOf<S>>,
    options?: RequestOptions,
  ): Promise<Reply<ResultOf<S>>>;
  send<S extends QuerySubject>(
    subject: S,
    request: QueryRequest<PayloadOf<S>>,
    options?: RequestOptions,
  ): Promise<Reply<ResultOf<S>>>;
  send(subject: RequestSubject, request: unknown, options?: RequestOptions): Promise<Reply<unknown>> {
    return this.sendRaw(subject, request, options);
  }

  /** Any subject, any request, unchecked: for transport specs whose subjects are not in `SubjectMap`. */
  abstract sendRaw(subject: string, request: unknown, options?: RequestOptions): Promise<Reply<unknown>>;

  abstract close(): Promise<void>;
}

/** Nest injection token for the RequestClient of the running profile. */
export const REQUEST_CLIENT = Symbol('REQUEST_CLIENT');
