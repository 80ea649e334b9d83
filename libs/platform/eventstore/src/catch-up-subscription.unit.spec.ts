import type { EventEnvelope } from '@accord/contracts';
import { CatchUpSubscription } from './catch-up-subscription';
import { envelopeAt as event } from './testing/envelope-at';

/** A log of events the fake store exposes; `read` mimics readAll. */
function fakeLog(positions: number[]) {
  const log = positions.map(event);
  /** The `after` of every read, in the order they were issued. */
  const reads: number[] = [];
  let failuresLeft = 0;
  return {
    log,
    reads,
    failNextReads(count: number) {
      failuresLeft = count;
    },
    read: async (after: number, limit: number) => {
      reads.push(after);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('connection refused');
      }
      return log.filter((e) => e.globalPosition > after).slice(0, limit);
    },
  };
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('CatchUpSubscription', () => {
  it('delivers across batches in order, from the exclusive start position', async () => {
    const store = fakeLog([1, 2, 3, 4, 5, 6, 7]);
    const seen: number[] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      handler: async (e) => void seen.push(e.globalPosition),
      after: 2,
      batchSize: 2,
      pollIntervalMs: 10,
    });
    await until(() => seen.length >= 5);
    await subscription.close();
    expect(seen).toEqual([3, 4, 5, 6, 7]);
  });

  it('reads at once when woken instead of waiting for the next poll', async () => {
    const store = fakeLog([]);
    const seen: number[] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      handler: async (e) => void seen.push(e.globalPosition),
      after: 0,
      batchSize: 10,
      pollIntervalMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    store.log.push(event(1));
    subscription.wake();
    await until(() => seen.length === 1);
    await subscription.close();
  });

  it('survives failing reads and resumes from its cursor', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = fakeLog([1, 2]);
    store.failNextReads(2);
    const seen: number[] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      handler: async (e) => void seen.push(e.globalPosition),
      after: 0,
      batchSize: 10,
      pollIntervalMs: 10,
    });
    await until(() => seen.length === 2);
    await subscription.close();
    expect(seen).toEqual([1, 2]);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('close() ends a retry backoff at once and does not deliver the event', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let attempts = 0;
    const subscription = new CatchUpSubscription({
      read: fakeLog([1]).read,
      handler: async () => {
        attempts += 1;
        throw new Error('still failing');
      },
      after: 0,
      batchSize: 10,
      pollIntervalMs: 10,
    });
    await until(() => attempts >= 3);
    const started = Date.now();
    await subscription.close();
    expect(Date.now() - started).toBeLessThan(200);
    const attemptsAtClose = attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(attemptsAtClose);
    warn.mockRestore();
  });
});

describe('CatchUpSubscription closed by a handler that gives up (issue 8, rule 3)', () => {
  it('ends on that event without another attempt or warning, and delivers nothing after it', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: number[] = [];
    let attemptsOn2 = 0;
    let closed = false;
    const subscription: CatchUpSubscription = new CatchUpSubscription({
      read: fakeLog([1, 2, 3]).read,
      handler: async (e) => {
        if (e.globalPosition === 2) {
          attemptsOn2 += 1;
          void subscription.close();
          throw new Error('gave up');
        }
        seen.push(e.globalPosition);
      },
      after: 0,
      batchSize: 10,
      pollIntervalMs: 10,
      onClosed: () => (closed = true),
    });
    await until(() => closed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([1]);
    expect(attemptsOn2).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('CatchUpSubscription with a batchHandler', () => {
  const positionsOf = (batch: readonly EventEnvelope[]): number[] => batch.map((e) => e.globalPosition);

  it('delivers each read as one batch, in order, never empty, with no event twice across reads', async () => {
    const store = fakeLog([1, 2, 3, 4, 5, 6, 7]);
    const batches: number[][] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      batchHandler: async (batch) => void batches.push(positionsOf(batch)),
      after: 0,
      batchSize: 3,
      pollIntervalMs: 5,
    });
    await until(() => batches.flat().length === 7);
    store.log.push(event(8), event(9));
    subscription.wake();
    await until(() => batches.flat().length === 9);
    // Several empty polls happen meanwhile: none reaches the handler.
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.close();
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7], [8, 9]]);
  });

  it('drops what a read returns at or before its cursor (reads that overlap)', async () => {
    const store = fakeLog([1, 2, 3, 4, 5, 6, 7]);
    const batches: number[][] = [];
    const subscription = new CatchUpSubscription({
      // A read that also returns the event AT its cursor: each page overlaps the one before.
      read: (after, limit) => store.read(Math.max(after - 1, 0), limit),
      batchHandler: async (batch) => void batches.push(positionsOf(batch)),
      after: 0,
      batchSize: 3,
      pollIntervalMs: 5,
    });
    await until(() => batches.flat().includes(7));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.close();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ]);
  });

  it('retries the SAME batch when the handler throws, and delivers nothing after it meanwhile', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = fakeLog([1, 2, 3]);
    const calls: number[][] = [];
    let failuresLeft = 2;
    const subscription: CatchUpSubscription = new CatchUpSubscription({
      read: store.read,
      batchHandler: async (batch) => {
        calls.push(positionsOf(batch));
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          // Appended (and announced) while the batch fails: neither folded into its retry nor delivered before it.
          store.log.push(event(store.log.length + 1));
          subscription.wake();
          throw new Error('database unavailable');
        }
      },
      after: 0,
      batchSize: 10,
      pollIntervalMs: 5,
    });
    await until(() => calls.flat().includes(5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.close();
    expect(calls).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [4, 5],
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]?.[0])).toContain('batch of 3 ending with event-3');
    warn.mockRestore();
  });

  it('ends on a batch whose handler gave up and closed the subscription, without another attempt', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = fakeLog([1, 2, 3, 4]);
    const calls: number[][] = [];
    let closed = false;
    const subscription: CatchUpSubscription = new CatchUpSubscription({
      read: store.read,
      batchHandler: async (batch) => {
        calls.push(positionsOf(batch));
        if (batch[0]?.globalPosition === 3) {
          void subscription.close();
          throw new Error('gave up');
        }
      },
      after: 0,
      batchSize: 2,
      pollIntervalMs: 5,
      onClosed: () => (closed = true),
    });
    await until(() => closed);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('CatchUpSubscription read-ahead', () => {
  /** Resolves true once `condition` holds, false after `ms` (the caller asserts, rather than hang). */
  const within = async (ms: number, condition: () => boolean): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return true;
  };

  it('reads the next page while the batchHandler works on a full one; every event once, in order', async () => {
    const store = fakeLog([1, 2, 3, 4, 5, 6, 7]);
    const seen: number[] = [];
    /** Per delivered batch: whether the read from its last position was issued while it ran. */
    const overlapped: boolean[] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      batchHandler: async (batch) => {
        const last = batch.at(-1)!.globalPosition;
        if (batch.length === 2) overlapped.push(await within(500, () => store.reads.includes(last)));
        seen.push(...batch.map((e) => e.globalPosition));
      },
      after: 0,
      batchSize: 2,
      pollIntervalMs: 5,
    });
    await until(() => seen.length >= 7);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.close();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(overlapped).toEqual([true, true, true]);
    // The page read ahead is the one used: each cursor of the catch-up is read once.
    expect(store.reads.slice(0, 4)).toEqual([0, 2, 4, 6]);
  });

  it('reads ahead for a per-event handler too, before the last event of a full page is handled', async () => {
    const store = fakeLog([1, 2, 3, 4, 5, 6, 7]);
    const seen: number[] = [];
    const overlapped: boolean[] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      handler: async (e) => {
        if (e.globalPosition % 2 === 0)
          overlapped.push(await within(500, () => store.reads.includes(e.globalPosition)));
        seen.push(e.globalPosition);
      },
      after: 0,
      batchSize: 2,
      pollIntervalMs: 5,
    });
    await until(() => seen.length >= 7);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.close();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(overlapped).toEqual([true, true, true]);
  });

  it('does not read ahead after a page that came back short', async () => {
    const store = fakeLog([1, 2, 3]);
    const readsDuringHandler: number[][] = [];
    const subscription = new CatchUpSubscription({
      read: store.read,
      batchHandler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        readsDuringHandler.push([...store.reads]);
      },
      after: 0,
      batchSize: 5,
      pollIntervalMs: 60_000,
    });
    await until(() => readsDuringHandler.length === 1);
    await subscription.close();
    expect(readsDuringHandler).toEqual([[0]]);
  });

  it('reads the page again when the read-ahead failed, and skips nothing', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = fakeLog([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    let failAt: number | null = 2;
    const subscription = new CatchUpSubscription({
      read: async (after, limit) => {
        if (after === failAt) {
          failAt = null;
          store.reads.push(after);
          throw new Error('connection reset');
        }
        return store.read(after, limit);
      },
      batchHandler: async (batch) => {
        // Slower than the read-ahead: its rejection waits, handled, until the page is needed.
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push(...batch.map((e) => e.globalPosition));
      },
      after: 0,
      batchSize: 2,
      pollIntervalMs: 5,
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await until(() => seen.length >= 5);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await subscription.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(store.reads.filter((after) => after === 2)).toHaveLength(2);
    expect(unhandled).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});

describe('CatchUpSubscription read-ahead and wakes', () => {
  it('a wake during the handler of a full page is not lost to the page read ahead before it', async () => {
    const store = fakeLog([1, 2, 3]);
    const seen: number[] = [];
    const subscription: CatchUpSubscription = new CatchUpSubscription({
      read: store.read,
      handler: async (e) => {
        if (e.globalPosition === 1) {
          // By now the page after 2 has been read ahead ([3]); an append lands and wakes us.
          await new Promise((resolve) => setTimeout(resolve, 20));
          store.log.push(event(4));
          subscription.wake();
        }
        seen.push(e.globalPosition);
      },
      after: 0,
      batchSize: 2,
      pollIntervalMs: 60_000,
    });
    try {
      await until(() => seen.includes(4));
    } finally {
      await subscription.close();
    }
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
