import type { ErrorValue } from '@accord/contracts';

/** One invalid input: the JSON path of the field and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * What the gateway throws: an `ErrorValue` (the contract's one vocabulary) plus, for validation,
 * every offending field. `ProblemFilter` is the only place that turns it into HTTP.
 */
export class GatewayError extends Error {
  constructor(
    readonly error: ErrorValue,
    readonly fieldErrors: readonly FieldError[] = error.field ? [{ field: error.field, message: error.message }] : [],
  ) {
    super(error.message);
    this.name = 'GatewayError';
  }
}

/** 400 naming the field(s). */
export function invalidInput(fieldErrors: readonly FieldError[], code = 'request.invalid'): GatewayError {
  const [first] = fieldErrors;
  const message = first ? first.message : 'the request is invalid';
  return new GatewayError({ kind: 'validation', code, message, ...(first ? { field: first.field } : {}) }, fieldErrors);
}

/** 410 for an account its member may know about but that is closed for good (MEM-24). */
export function accountGone(): GatewayError {
  return new GatewayError({
    kind: 'gone',
    code: 'account.closed',
    message: 'This account is closed: it takes no more changes.',
  });
}

/** 404 for an account the caller may not know about: same answer whether it exists or not. */
export function accountNotFound(): GatewayError {
  return new GatewayError({ kind: 'not_found', code: 'account.not_found', message: 'account not found' });
}
