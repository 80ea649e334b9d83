import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import { canonicalJson } from './canonical-json';

/** The `prevHash` of the first line of an export. */
export const GENESIS_HASH = '0'.repeat(64);

/** One event line of an export: the whole envelope, chained to the line before it. */
export type AuditLine = EventEnvelope & { readonly prevHash: string; readonly hash: string };

/** SHA-256 hex over the JCS of a line without its `hash` (the envelope with `prevHash` added). */
export function auditLineHash(lineWithoutHash: object): string {
  return createHash('sha256').update(canonicalJson(lineWithoutHash)).digest('hex');
}

/**
 * Chains an account's events in global order: each line's hash covers the previous line's hash,
 * so changing, removing, reordering or inserting a line breaks every hash after it.
 */
export class AuditChain {
  private lines = 0;
  private last = GENESIS_HASH;
  private lastPosition = -1;

  /** Number of events chained so far. */
  get count(): number {
    return this.lines;
  }

  /** Hash of the last line (GENESIS_HASH before the first). */
  get lastHash(): string {
    return this.last;
  }

  /** The event's line; refuses an event that does not come after the previous one in global order. */
  append(event: EventEnvelope): AuditLine {
    if (!(event.globalPosition > this.lastPosition))
      throw new RangeError(
        `Event ${event.id} at position ${event.globalPosition} does not follow position ${this.lastPosition}`,
      );
    const prevHash = this.last;
    const hash = auditLineHash({ ...event, prevHash });
    this.lines += 1;
    this.last = hash;
    this.lastPosition = event.globalPosition;
    return { ...event, prevHash, hash };
  }
}
