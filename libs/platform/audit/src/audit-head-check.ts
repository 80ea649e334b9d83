import { verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { loadPublicKey, publicKeyPem } from './audit-keys';

/** What the event lines before the head showed, for the head to be checked against. */
export interface ChainSummary {
  readonly count: number;
  readonly lastHash: string;
  /** The account of the events; null when there are none. */
  readonly accountId: string | null;
  /** The earliest and latest occurredAt seen, with their line numbers. */
  readonly earliest: { readonly time: number; readonly line: number } | null;
  readonly latest: { readonly time: number; readonly line: number } | null;
}

/** Why the head does not vouch for the lines before it, with the line to blame; null when it does. */
export interface HeadProblem {
  readonly line: number | 'head';
  readonly reason: string;
}

/**
 * Checks a parsed head against the chain, then its signature: with the pinned `publicKey` when
 * given (a head signed by any other key fails, whatever key it names), else with the key it names.
 */
export function checkHead(
  head: Record<string, unknown>,
  chain: ChainSummary,
  publicKey?: KeyObject,
): HeadProblem | null {
  const { accountId, from, to, count, lastHash, signature } = head;
  if (typeof accountId !== 'string' || !accountId) return { line: 'head', reason: 'The head names no account' };
  if (!isInstantOrNull(from) || !isInstantOrNull(to))
    return { line: 'head', reason: 'The head range (from, to) is not ISO-8601 or null' };
  if (typeof count !== 'number' || typeof lastHash !== 'string' || typeof signature !== 'string')
    return { line: 'head', reason: 'The head lacks its count, lastHash or signature' };
  if (chain.accountId !== null && chain.accountId !== accountId)
    return { line: 'head', reason: `The head is for account ${accountId}, the events for ${chain.accountId}` };
  if (count !== chain.count)
    return { line: 'head', reason: `The head counts ${count} events, the export holds ${chain.count}` };
  if (lastHash !== chain.lastHash)
    return { line: 'head', reason: 'The head lastHash is not the hash of the last event line' };
  if (from !== null && chain.earliest && chain.earliest.time < Date.parse(from))
    return { line: chain.earliest.line, reason: `The event occurred before the exported range (from ${from})` };
  if (to !== null && chain.latest && chain.latest.time >= Date.parse(to))
    return { line: chain.latest.line, reason: `The event occurred after the exported range (to ${to})` };
  return checkSignature(head, signature, publicKey);
}

function checkSignature(head: Record<string, unknown>, signature: string, pinned?: KeyObject): HeadProblem | null {
  let named: KeyObject;
  try {
    named = loadPublicKey(String(head['publicKey']));
  } catch {
    return { line: 'head', reason: 'The head publicKey is not an Ed25519 public key' };
  }
  if (pinned && publicKeyPem(pinned) !== publicKeyPem(named))
    return { line: 'head', reason: 'The export is signed by another key than the given public key' };
  const { signature: _signature, ...signed } = head;
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(signed)), pinned ?? named, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? null : { line: 'head', reason: 'The head signature is not valid' };
}

function isInstantOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
}
