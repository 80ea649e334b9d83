import { afterFailedAttempt, DEFAULT_WEBHOOK_RETRY, webhookBackoffMs } from './webhook-retry';

const T0 = '2030-01-01T00:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const HOUR = 3_600_000;

describe('webhook retry backoff (rule NOT-15)', () => {
  it('doubles from the base: 5 s, 10 s, 20 s, 40 s …', () =>
    expect([1, 2, 3, 4].map((n) => webhookBackoffMs(n, DEFAULT_WEBHOOK_RETRY))).toEqual([
      5_000, 10_000, 20_000, 40_000,
    ]));

  it('is capped at one hour', () => {
    expect(webhookBackoffMs(20, DEFAULT_WEBHOOK_RETRY)).toBe(HOUR);
    expect(webhookBackoffMs(1_000, DEFAULT_WEBHOOK_RETRY)).toBe(HOUR);
  });

  it('retries after the delay counted from the failure', () =>
    expect(afterFailedAttempt({ attempt: 3, firstAttemptAt: T0, failedAt: at(60_000) }, DEFAULT_WEBHOOK_RETRY)).toEqual(
      { kind: 'retry', at: at(80_000) },
    ));

  it('puts the last attempt on the end of the 24 h window, never after it', () =>
    expect(
      afterFailedAttempt({ attempt: 30, firstAttemptAt: T0, failedAt: at(23.5 * HOUR) }, DEFAULT_WEBHOOK_RETRY),
    ).toEqual({ kind: 'retry', at: at(24 * HOUR) }));

  it('gives up when an attempt fails 24 h or more after the first', () => {
    expect(
      afterFailedAttempt({ attempt: 31, firstAttemptAt: T0, failedAt: at(24 * HOUR) }, DEFAULT_WEBHOOK_RETRY),
    ).toEqual({ kind: 'give_up' });
    expect(
      afterFailedAttempt({ attempt: 2, firstAttemptAt: T0, failedAt: at(30 * HOUR) }, DEFAULT_WEBHOOK_RETRY),
    ).toEqual({
      kind: 'give_up',
    });
  });

  it('keeps retrying for 24 h: the schedule of a receiver that never answers ends in one give-up', () => {
    const outcomes: string[] = [];
    let failedAt = T0;
    for (let attempt = 1; attempt < 100; attempt++) {
      const next = afterFailedAttempt({ attempt, firstAttemptAt: T0, failedAt }, DEFAULT_WEBHOOK_RETRY);
      if (next.kind === 'give_up') {
        outcomes.push(`gave up after ${attempt} attempts at ${failedAt}`);
        break;
      }
      failedAt = next.at;
    }
    expect(outcomes).toEqual([expect.stringMatching(/^gave up after \d+ attempts at 2030-01-02T00:00:00.000Z$/)]);
  });
});
