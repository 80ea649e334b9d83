import type { ErrorKind, ErrorValue } from '@accord/contracts';
import type { FieldError } from './gateway-error';

/** RFC 9457 problem details, as every error response of the gateway carries them. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly errors?: readonly FieldError[];
}

/** A problem and the headers that must travel with it. */
export interface ProblemResponse {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Readonly<Record<ErrorKind, { readonly status: number; readonly title: string }>> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  unprocessable: { status: 422, title: 'Unprocessable request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  stale: { status: 503, title: 'Not up to date yet' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

/** An internal error tells the caller nothing of what failed inside (the logs name it). */
const INTERNAL_DETAIL = 'The request could not be completed because of an internal error.';

/** The one mapping from the error vocabulary to HTTP (contracts/errors.ts). */
export function problemFor(error: ErrorValue, fieldErrors: readonly FieldError[] = []): ProblemResponse {
  const { status, title } = STATUS[error.kind];
  const errors =
    fieldErrors.length > 0 ? fieldErrors : error.field ? [{ field: error.field, message: error.message }] : [];
  const field = error.field ?? errors[0]?.field;
  const problem: Problem = {
    type: problemType(error.kind),
    title,
    status,
    detail: error.kind === 'internal' ? INTERNAL_DETAIL : error.message,
    code: error.kind === 'internal' ? 'internal' : error.code,
    // A field names what to fix: for a 400, and for a 403 that refuses one part of a request.
    ...((error.kind === 'validation' || error.kind === 'forbidden') && field ? { field } : {}),
    ...(error.kind === 'validation' && errors.length > 0 ? { errors } : {}),
  };
  return { problem, headers: headersFor(error) };
}

/** A problem for a plain HTTP status raised below our code (router, body parser, Fastify limits). */
export function problemForStatus(status: number, code: string, detail: string): ProblemResponse {
  return { problem: { type: 'about:blank', title: titleOf(status), status, detail, code }, headers: {} };
}

function headersFor(error: ErrorValue): Record<string, string> {
  switch (error.kind) {
    case 'unauthenticated':
      // RFC 6750 §3: name the scheme; add error="invalid_token" when a token was sent but refused.
      return {
        'www-authenticate':
          error.code === 'auth.missing_token'
            ? 'Bearer realm="accord"'
            : 'Bearer realm="accord", error="invalid_token"',
      };
    case 'rate_limited':
      return { 'retry-after': String(positiveSeconds(error.retryAfterSeconds, 1)) };
    case 'stale':
      // The read model is catching up: it is a matter of moments.
      return { 'retry-after': String(positiveSeconds(error.retryAfterSeconds, 1)) };
    case 'unavailable':
      // A store or NATS restart, a service between replicas: seconds. Every 503 says when to come
      // back, so clients back off instead of hammering (or giving up).
      return { 'retry-after': String(positiveSeconds(error.retryAfterSeconds, UNAVAILABLE_RETRY_SECONDS)) };
    case 'conflict':
      // e.g. `idempotency.in_progress`: the same request is still running.
      return error.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(positiveSeconds(error.retryAfterSeconds, 1)) };
    case 'validation':
    case 'forbidden':
    case 'not_found':
    case 'gone':
    case 'unprocessable':
    case 'internal':
      return {};
    default: {
      const unknownKind: never = error.kind;
      return unknownKind;
    }
  }
}

/** Retry-After of a 503 whose cause did not say: a restart of PostgreSQL or NATS takes about this long. */
const UNAVAILABLE_RETRY_SECONDS = 2;

function positiveSeconds(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.ceil(value) : fallback;
}

function problemType(kind: ErrorKind): string {
  return `urn:accord:problem:${kind}`;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Internal error' : 'Request refused');
}
