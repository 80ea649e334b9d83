/**
 * The one error vocabulary. Every layer speaks it; the HTTP edge maps it once to problem+json:
 * validation → 400, unauthenticated → 401, forbidden → 403, not_found → 404, conflict → 409,
 * gone → 410 (the resource existed and is closed for good, e.g. a closed account: MEM-24),
 * unprocessable → 422 (e.g. an Idempotency-Key reused with another body),
 * rate_limited → 429, stale → 503 (a read model has not reached the asked position in time),
 * unavailable → 503, internal → 500 (a bug of ours, e.g. an event that violates its schema was
 * refused by the event store; the reply never says more than that).
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'unprocessable'
  | 'rate_limited'
  | 'stale'
  | 'unavailable'
  | 'internal';

export interface ErrorValue {
  readonly kind: ErrorKind;
  /** Stable machine-readable code, e.g. `invitation.not_pending`. */
  readonly code: string;
  /** Human sentence, safe to show: never a secret, never another tenant's data. */
  readonly message: string;
  /** For validation: the offending field. */
  readonly field?: string;
  readonly retryAfterSeconds?: number;
}

/** A rule of the domain refused the command; thrown by deciders, mapped at the edge. */
export class DomainError extends Error implements ErrorValue {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toValue(): ErrorValue {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
    };
  }
}

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
/** The resource is closed for good: a command on it can never succeed again (410). */
export const gone = (code: string, message: string) => new DomainError('gone', code, message);
export const invalid = (field: string, code: string, message: string) =>
  new DomainError('validation', code, message, field);
export const rateLimited = (code: string, message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', code, message, undefined, retryAfterSeconds);

/** The reply of every command and query over request/reply: errors are values, not exceptions. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorValue };

export const ok = <T>(value: T): Reply<T> => ({ ok: true, value });
export const fail = (error: ErrorValue): Reply<never> => ({ ok: false, error });

export function isErrorValue(value: unknown): value is ErrorValue {
  return typeof value === 'object' && value !== null && 'kind' in value && 'code' in value && 'message' in value;
}
