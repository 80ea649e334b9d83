import type { EventEnvelope } from '@accord/contracts';

type Read = (after: number, limit: number) => Promise<EventEnvelope[]>;

interface Entry {
  readonly events: Promise<readonly EventEnvelope[]>;
  /** When the answer stops being reused (set once it arrived); undefined while in flight. */
  reuseUntil?: number;
}

/**
 * One query for the subscriptions of a store that stand at the same cursor. A process holds a
 * dozen subscriptions (read models, reactors, the relay's readers), and once caught up they all
 * stand at the head: without sharing, every append and every poll costs a dozen identical reads
 * (on the embedded profile's single connection, most of its time).
 *
 * Sharing never skips an event: a subscriber reads from its own cursor and filters what it gets.
 * A shared answer may only be late: an answer is reused for at most `reuseMs` after it arrived,
 * and `invalidate()` (an append here, or a notification of one elsewhere) drops every answer, so
 * the subscriptions it wakes read afresh. What only polling finds (an older transaction committing
 * late) is found at most `reuseMs` later.
 */
export class SharedReads {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly read: Read,
    private readonly reuseMs: number,
  ) {}

  readAll(after: number, limit: number): Promise<readonly EventEnvelope[]> {
    const key = `${after}:${limit}`;
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && (entry.reuseUntil === undefined || entry.reuseUntil > now)) return entry.events;
    this.forgetExpired(now);
    const fresh: Entry = {
      events: this.read(after, limit).then(
        (events) => {
          fresh.reuseUntil = Date.now() + this.reuseMs;
          return events;
        },
        (error: unknown) => {
          // A failed read is not shared with anyone who asks later.
          if (this.entries.get(key) === fresh) this.entries.delete(key);
          throw error;
        },
      ),
    };
    this.entries.set(key, fresh);
    return fresh.events;
  }

  /** New events may be visible: answers given so far are not reused. */
  invalidate(): void {
    this.entries.clear();
  }

  private forgetExpired(now: number): void {
    for (const [key, entry] of this.entries)
      if (entry.reuseUntil !== undefined && entry.reuseUntil <= now) this.entries.delete(key);
  }
}
