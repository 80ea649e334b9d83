import { SingleBar } from 'cli-progress';

/** Progress of long work: a bar on a terminal, a plain line every few seconds otherwise (logs, CI). */
export interface Progress {
  /** `done` of `total` units (positions or events); `events` handled so far. */
  update(done: number, events: number): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 2_000;

/**
 * `total` may be in positions rather than events (global positions are not dense): the bar and its
 * ETA then follow the range of positions covered, and the event count is shown beside it.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const rate = (events: number) => Math.round(events / Math.max((Date.now() - started) / 1000, 0.001));
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {events} events | {rate}/s | ETA {eta_formatted}`,
      stream,
      etaBuffer: 50,
      hideCursor: true,
    });
    bar.start(Math.max(total, 1), 0, { events: 0, rate: 0 });
    return {
      update: (done, events) => bar.update(Math.min(done, Math.max(total, 1)), { events, rate: rate(events) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let latest = { done: 0, events: 0 };
  const line = () => {
    const percent = total > 0 ? Math.min(100, Math.floor((latest.done / total) * 100)) : 100;
    stream.write(`${label}: ${latest.events} events, ${rate(latest.events)}/s, ${percent}%\n`);
  };
  return {
    update(done, events) {
      latest = { done, events };
      if (Date.now() - last >= PLAIN_EVERY_MS) {
        last = Date.now();
        line();
      }
    },
    stop: line,
  };
}
