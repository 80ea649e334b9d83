import type { EventEnvelope } from '@accord/contracts';
import { SharedReads } from './shared-reads';
import { envelopeAt as event } from './testing/envelope-at';

/** A fake readAll whose every call stays pending until the test settles it. */
function controlledRead() {
  const calls: Array<{
    after: number;
    limit: number;
    resolve: (events: EventEnvelope[]) => void;
    reject: (error: Error) => void;
  }> = [];
  const read = jest.fn(
    (after: number, limit: number) =>
      new Promise<EventEnvelope[]>((resolve, reject) => calls.push({ after, limit, resolve, reject })),
  );
  return { read, calls };
}

const REUSE_MS = 100;

describe('SharedReads', () => {
  let now: number;
  let clock: jest.SpyInstance<number, []>;

  beforeEach(() => {
    now = 1_000_000;
    clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => clock.mockRestore());

  it('gives concurrent callers at the same cursor and limit one underlying read', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const first = shared.readAll(5, 10);
    const second = shared.readAll(5, 10);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith(5, 10);
    const answer = [event(6), event(7)];
    calls[0]!.resolve(answer);
    expect(await first).toBe(answer);
    expect(await second).toBe(answer);
  });

  it('reuses an answer for up to reuseMs after it arrived, then reads afresh', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const first = shared.readAll(0, 10);
    // The read is slow: reuse counts from its answer, not from the question.
    now += 5 * REUSE_MS;
    calls[0]!.resolve([event(1)]);
    await first;

    now += REUSE_MS - 1;
    const reused = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(1);
    expect(await reused).toEqual([event(1)]);

    now += 1;
    const fresh = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(2);
    calls[1]!.resolve([event(1), event(2)]);
    expect(await fresh).toEqual([event(1), event(2)]);
    // The fresh answer is reused in its turn.
    const reusedAgain = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(2);
    expect(await reusedAgain).toEqual([event(1), event(2)]);
  });

  it('reads afresh after invalidate(), for an answer that arrived and for one still in flight', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const first = shared.readAll(0, 10);
    calls[0]!.resolve([event(1)]);
    await first;

    shared.invalidate();
    const afterArrived = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(2);

    // Invalidated while the second read is still in flight: a later caller does not join it.
    shared.invalidate();
    const afterInFlight = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(3);
    calls[1]!.resolve([event(1)]);
    calls[2]!.resolve([event(1), event(2)]);
    expect(await afterArrived).toEqual([event(1)]);
    expect(await afterInFlight).toEqual([event(1), event(2)]);
  });

  it('does not reuse a rejected read: the next caller reads again', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const failing = shared.readAll(0, 10);
    const joined = shared.readAll(0, 10);
    calls[0]!.reject(new Error('connection refused'));
    await expect(failing).rejects.toThrow('connection refused');
    await expect(joined).rejects.toThrow('connection refused');

    const retry = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(2);
    calls[1]!.resolve([event(1)]);
    expect(await retry).toEqual([event(1)]);
  });

  it('a read that fails after being replaced does not drop its replacement', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const old = shared.readAll(0, 10);
    shared.invalidate();
    const replacement = shared.readAll(0, 10);
    calls[0]!.reject(new Error('connection refused'));
    await expect(old).rejects.toThrow('connection refused');

    const joiner = shared.readAll(0, 10);
    expect(read).toHaveBeenCalledTimes(2);
    calls[1]!.resolve([event(1)]);
    expect(await replacement).toEqual([event(1)]);
    expect(await joiner).toEqual([event(1)]);
  });

  it('keeps different cursors and different limits apart', async () => {
    const { read, calls } = controlledRead();
    const shared = new SharedReads(read, REUSE_MS);
    const fromZero = shared.readAll(0, 10);
    const fromTwo = shared.readAll(2, 10);
    const smaller = shared.readAll(0, 1);
    expect(read.mock.calls).toEqual([
      [0, 10],
      [2, 10],
      [0, 1],
    ]);
    calls[0]!.resolve([event(1), event(2), event(3)]);
    calls[1]!.resolve([event(3)]);
    calls[2]!.resolve([event(1)]);
    expect(await fromZero).toEqual([event(1), event(2), event(3)]);
    expect(await fromTwo).toEqual([event(3)]);
    expect(await smaller).toEqual([event(1)]);
  });
});
