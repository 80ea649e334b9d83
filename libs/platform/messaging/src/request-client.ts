import {
  DomainError,
  type CommandRequest,
  type CommandSubject,
  type PayloadOf,
  type QueryRequest,
  type QuerySubject,
  type Reply,
  type RequestSubject,
  type ResultOf,
} from '@accord/contracts';

export interface RequestOptions {
  readonly timeoutMs?: number;
}

/**
 * Told of every request a client sent (the process's metrics): the subject (from `SubjectMap`,
 * never an id), `ok` or the error kind of the reply, and how long the reply took.
 */
export interface RequestObserver {
  requested(subject: string, outcome: string, seconds: number): void;
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
  constructor(private readonly observer?: RequestObserver) {}

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
    const observer = this.observer;
    if (!observer) return this.sendRaw(subject, request, options);
    const started = performance.now();
    return this.sendRaw(subject, request, options).then((reply) => {
      observer.requested(subject, reply.ok ? 'ok' : reply.error.kind, (performance.now() - started) / 1000);
      return reply;
    });
  }

  /** Any subject, any request, unchecked: for transport specs whose subjects are not in `SubjectMap`. */
  abstract sendRaw(subject: string, request: unknown, options?: RequestOptions): Promise<Reply<unknown>>;

  abstract close(): Promise<void>;
}

/** Nest injection token for the RequestClient of the running profile. */
export const REQUEST_CLIENT = Symbol('REQUEST_CLIENT');

/**
 * Asks another service a query from inside a use case: its answer, or its refusal thrown as this
 * service's own (same kind, code, field and retry), so the caller sees one error vocabulary.
 * `minPosition`: the answer is no older than that store position (read-your-writes).
 */
export async function askQuery<S extends QuerySubject>(
  requests: RequestClient,
  subject: S,
  payload: PayloadOf<S>,
  minPosition?: number,
): Promise<ResultOf<S>> {
  const reply = await requests.send(subject, minPosition === undefined ? { payload } : { payload, minPosition });
  if (!reply.ok) {
    const { kind, code, message, field, retryAfterSeconds } = reply.error;
    throw new DomainError(kind, code, message, field, retryAfterSeconds);
  }
  return reply.value;
}
