import type { EventEnvelope } from '@accord/contracts';
import { CatchUpSubscription } from './catch-up-subscription';

const event = (globalPosition: number): EventEnvelope => ({
  id: `event-${globalPosition}`,
  type: 'SomethingHappened',
  schemaVersion: 1,
  streamId: 'test-1',
  streamPosition: globalPosition,
  globalPosition,
  occurredAt: '2024-01-01T00:00:00.000Z',
  accountId: null,
  actor: { userId: 'user-1', via: 'session' },
  correlationId: 'corr-1',
  causationId: null,
  data: {},
});

/** A log of events the fake store exposes; `read` mimics readAll. */
function fakeLog(positions: number[]) {
  const log = positions.map(event);
  let failuresLeft = 0;
  return {
    log,
    failNextReads(count: number) {
      failuresLeft = count;
    },
    read: async (after: number, limit: number) => {
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
