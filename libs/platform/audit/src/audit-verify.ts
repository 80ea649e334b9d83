import type { KeyObject } from 'node:crypto';
import { auditLineHash, GENESIS_HASH } from './audit-chain';
import { checkHead, type ChainSummary } from './audit-head-check';
import { AUDIT_HEAD_TYPE } from './audit-head';

/** The outcome of `verifyAuditExport`: the first line (1-based) that fails, and why. */
export type AuditVerification =
  | { readonly ok: true; readonly count: number; readonly accountId: string }
  | { readonly ok: false; readonly line: number; readonly reason: string };

export interface AuditVerifyOptions {
  /** The signer's key, known from elsewhere: without it, the export only proves it is unchanged since signed. */
  readonly publicKey?: KeyObject;
}

/**
 * Verifies an export line by line, as a stream: every line's hash and its link to the line before,
 * one account, global order, then the head (count, last hash, range, signature). Lines may carry
 * their "\n"; an empty line is refused unless it is the last.
 */
export async function verifyAuditExport(
  lines: AsyncIterable<string>,
  options: AuditVerifyOptions = {},
): Promise<AuditVerification> {
  const verifier = new ExportVerifier(options.publicKey);
  let number = 0;
  let emptyLine: number | null = null;
  for await (const raw of lines) {
    number += 1;
    if (emptyLine !== null) return failure(emptyLine, 'Empty line');
    const text = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') {
      emptyLine = number;
      continue;
    }
    const problem = verifier.accept(text, number);
    if (problem) return problem;
  }
  return verifier.finish(emptyLine ?? number + 1);
}

/** The state of one verification: what the lines so far showed. */
class ExportVerifier {
  private chain: ChainSummary = { count: 0, lastHash: GENESIS_HASH, accountId: null, earliest: null, latest: null };
  private lastPosition = -1;
  private head: { line: number; accountId: string } | null = null;

  constructor(private readonly publicKey?: KeyObject) {}

  accept(text: string, line: number): AuditVerification | null {
    if (this.head) return failure(line, `A line after the head (line ${this.head.line})`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return failure(line, 'Not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return failure(line, 'Not a JSON object');
    const record = parsed as Record<string, unknown>;
    return record['type'] === AUDIT_HEAD_TYPE ? this.acceptHead(record, line) : this.acceptEvent(record, line);
  }

  finish(line: number): AuditVerification {
    if (!this.head) return failure(line, 'No AuditExportHead line: the export is truncated or unsigned');
    return { ok: true, count: this.chain.count, accountId: this.head.accountId };
  }

  private acceptEvent(record: Record<string, unknown>, line: number): AuditVerification | null {
    const { hash, ...withoutHash } = record;
    const { prevHash, accountId, globalPosition, occurredAt } = record;
    if (typeof hash !== 'string' || typeof prevHash !== 'string') return failure(line, 'No hash or prevHash');
    if (auditLineHash(withoutHash) !== hash) return failure(line, 'Hash mismatch: the line was changed');
    if (prevHash !== this.chain.lastHash)
      return failure(
        line,
        'Chain broken: prevHash is not the hash of the line before (removed, reordered or inserted line)',
      );
    if (typeof accountId !== 'string') return failure(line, 'An event of no account');
    if (this.chain.accountId !== null && accountId !== this.chain.accountId)
      return failure(line, `An event of account ${accountId}, not ${this.chain.accountId}`);
    if (typeof globalPosition !== 'number' || !(globalPosition > this.lastPosition))
      return failure(line, 'Out of global order');
    const time = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
    if (Number.isNaN(time)) return failure(line, 'No ISO-8601 occurredAt');
    const { earliest, latest } = this.chain;
    this.lastPosition = globalPosition;
    this.chain = {
      count: this.chain.count + 1,
      lastHash: hash,
      accountId,
      earliest: earliest && earliest.time <= time ? earliest : { time, line },
      latest: latest && latest.time >= time ? latest : { time, line },
    };
    return null;
  }

  private acceptHead(record: Record<string, unknown>, line: number): AuditVerification | null {
    const problem = checkHead(record, this.chain, this.publicKey);
    if (problem) return failure(problem.line === 'head' ? line : problem.line, problem.reason);
    this.head = { line, accountId: String(record['accountId']) };
    return null;
  }
}

function failure(line: number, reason: string): AuditVerification {
  return { ok: false, line, reason };
}
