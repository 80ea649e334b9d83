import { sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { publicKeyPem } from './audit-keys';

/** The last line of an export: what it covers, signed. */
export interface AuditExportHead {
  readonly type: 'AuditExportHead';
  readonly accountId: string;
  /** The range asked for (occurredAt >= from, < to), as given; null: unbounded. */
  readonly from: string | null;
  readonly to: string | null;
  /** Number of event lines. */
  readonly count: number;
  /** Hash of the last event line (GENESIS_HASH when there is none). */
  readonly lastHash: string;
  /** SPKI PEM of the signer. */
  readonly publicKey: string;
  /** Base64 Ed25519 signature over the JCS of this object without `signature`. */
  readonly signature: string;
}

export const AUDIT_HEAD_TYPE = 'AuditExportHead';

/** The signed head over what the export holds. */
export function signedHead(
  fields: Pick<AuditExportHead, 'accountId' | 'from' | 'to' | 'count' | 'lastHash'>,
  signingKey: KeyObject,
): AuditExportHead {
  const unsigned = { type: AUDIT_HEAD_TYPE, ...fields, publicKey: publicKeyPem(signingKey) } as const;
  const signature = sign(null, Buffer.from(canonicalJson(unsigned)), signingKey).toString('base64');
  return { ...unsigned, signature };
}
