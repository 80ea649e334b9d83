/** Polls until `check` holds (tests of asynchronous delivery); fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The store shows an event to readers only once every older transaction OF THE WHOLE PostgreSQL
 * server has ended (global-position.ts): another suite's open transaction delays what `readAll`
 * sees right after an append. Tests wait for visibility instead of assuming it.
 */
export async function visibleSince<E>(
  read: (after: number, limit: number) => Promise<E[]>,
  from: number,
  count: number,
  timeoutMs = 15_000,
): Promise<E[]> {
  let events: E[] = [];
  await waitFor(`${count} visible events`, async () => (events = await read(from, 10_000)).length >= count, timeoutMs);
  return events;
}
