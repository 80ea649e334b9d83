import type { Reply } from '@accord/contracts';

/**
 * Sends a command or query to the service that owns `subject` and waits for its reply.
 * Services answer with `Reply` values (errors are values); a transport failure (no responder,
 * timeout) comes back as an `unavailable` error value, never as a thrown exception.
 */
export interface RequestClient {
  send<Payload, Result>(subject: string, payload: Payload, options?: { readonly timeoutMs?: number }): Promise<Reply<Result>>;
  close(): Promise<void>;
}

/** Nest injection token for the RequestClient of the running profile. */
export const REQUEST_CLIENT = Symbol('REQUEST_CLIENT');
