/**
 * Exponential backoff for retries that must never give up (publishing an event, writing a
 * checkpoint): each attempt waits longer, up to a ceiling, so a broken dependency is not hammered.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 20));
  return Math.min(maxMs, exp);
}

/** A sleep that a shutdown can cut short, so `stop()`/`close()` never wait out a long backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
