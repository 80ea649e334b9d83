import type { KeyObject } from 'node:crypto';
import type { EventEnvelope } from '@accord/contracts';
import { AuditChain } from './audit-chain';
import { signedHead } from './audit-head';

export interface AuditExportOptions {
  readonly accountId: string;
  /** The range the events were read for, recorded in the head (ISO, or null: unbounded). */
  readonly from: string | null;
  readonly to: string | null;
  /** Ed25519 private key (`loadSigningKey`). */
  readonly signingKey: KeyObject;
}

/**
 * The export as JSON Lines, each with its "\n": one line per event (in the order given, which must
 * be global order, all of `accountId`), then the signed head. Streams: holds one event at a time.
 */
export async function* auditExportLines(
  events: AsyncIterable<EventEnvelope>,
  options: AuditExportOptions,
): AsyncGenerator<string> {
  const chain = new AuditChain();
  for await (const event of events) {
    if (event.accountId !== options.accountId)
      throw new Error(`Event ${event.id} belongs to account ${String(event.accountId)}, not ${options.accountId}`);
    yield `${JSON.stringify(chain.append(event))}\n`;
  }
  const { accountId, from, to, signingKey } = options;
  const head = signedHead({ accountId, from, to, count: chain.count, lastHash: chain.lastHash }, signingKey);
  yield `${JSON.stringify(head)}\n`;
}
