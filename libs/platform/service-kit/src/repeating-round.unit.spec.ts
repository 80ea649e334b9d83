import { RepeatingRound } from './repeating-round';

describe('a round repeated on a timer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('skips a tick while the previous round still runs, then runs again', async () => {
    let release: () => void = () => undefined;
    let rounds = 0;
    const repeating = new RepeatingRound(
      'sweep',
      () => {
        rounds++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      () => undefined,
    );
    repeating.start(10);
    await jest.advanceTimersByTimeAsync(35);
    expect(rounds).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(10);
    expect(rounds).toBe(2);
    release();
    await repeating.stop();
  });

  it('logs a failed round by the error’s name only, and goes on', async () => {
    const lines: string[] = [];
    let rounds = 0;
    const repeating = new RepeatingRound(
      'delivery round',
      async () => {
        rounds++;
        throw new TypeError('secret acc_abc in the message');
      },
      (line) => lines.push(line),
    );
    repeating.start(10);
    await jest.advanceTimersByTimeAsync(25);
    await repeating.stop();
    expect(rounds).toBe(2);
    expect(lines).toEqual(['delivery round failed: TypeError', 'delivery round failed: TypeError']);
  });

  it('stop waits for the round in progress and no tick comes after it', async () => {
    let finished = false;
    let rounds = 0;
    const repeating = new RepeatingRound(
      'sweep',
      async () => {
        rounds++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      },
      () => undefined,
    );
    repeating.start(10);
    await jest.advanceTimersByTimeAsync(10);
    const stopped = repeating.stop();
    await jest.advanceTimersByTimeAsync(100);
    await stopped;
    expect([finished, rounds]).toEqual([true, 1]);
  });
});
