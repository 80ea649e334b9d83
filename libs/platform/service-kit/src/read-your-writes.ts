import type { ReadModelProgress } from '@accord/projections';
import { StaleReadError } from './reply';

/** How long a query waits for its read model to reach the asked position (EVT-7: ≤ 2 s). */
export const MIN_POSITION_WAIT_MS = 2000;

/** Read-your-writes: wait (bounded) until `runner` reached `minPosition`; else fail, never serve stale. */
export async function awaitPosition(runner: ReadModelProgress, minPosition: number | undefined): Promise<void> {
  if (minPosition === undefined || minPosition <= 0) return;
  if (!(await runner.waitFor(minPosition, MIN_POSITION_WAIT_MS))) throw new StaleReadError(minPosition);
}

/**
 * Run a look-up; when it finds nothing, make sure that is not just projection lag: catch the read
 * model up with the store's head (bounded) and look again. Positive answers stay one read.
 */
export async function lookUpFresh<T>(
  runner: ReadModelProgress,
  lookUp: () => Promise<T>,
  found: (value: T) => boolean,
): Promise<T> {
  const first = await lookUp();
  if (found(first)) return first;
  if (!(await runner.catchUp(MIN_POSITION_WAIT_MS))) throw new StaleReadError(runner.position());
  return lookUp();
}
