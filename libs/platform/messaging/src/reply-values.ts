import { isErrorValue, type Reply } from '@accord/contracts';

/**
 * What a caller gets when the service could not be reached or did not answer properly. The caller
 * cannot tell "never arrived" from "arrived, crashed": both are retryable 503s at the edge.
 */
export function unavailable(message: string): Reply<never> {
  return { ok: false, error: { kind: 'unavailable', code: 'service.unavailable', message } };
}

/**
 * A reply must be a `Reply` value; anything else means the responder is not an Accord service
 * (or a controller forgot to wrap its result) and must not be passed on as if it were one.
 * `value` may be absent on success: JSON drops `undefined`.
 */
export function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const { ok } = value as { ok: unknown };
  if (ok === true) return true;
  return ok === false && 'error' in value && isErrorValue((value as { error: unknown }).error);
}

/** JSON round trip: what crosses the wire in the services profile, so in-process behaves alike. */
export function wireCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
