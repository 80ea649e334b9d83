import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { EVENT_EXAMPLES, type EventEnvelope } from '@accord/contracts';
import { auditLineHash, GENESIS_HASH } from './audit-chain';
import { auditExportLines } from './audit-export';
import { signedHead } from './audit-head';
import { verifyAuditExport, type AuditVerification } from './audit-verify';

const ACCOUNT = EVENT_EXAMPLES.AccountCreated.accountId;
const OTHER_ACCOUNT = '11111111-2222-4333-8444-555555555555';
const signer = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');

/** An event of ACCOUNT at `globalPosition`, on the given day of January 2025. */
function envelopeAt(globalPosition: number, day = 1, accountId = ACCOUNT): EventEnvelope {
  return {
    id: `00000000-0000-4000-8000-${String(globalPosition).padStart(12, '0')}`,
    type: 'MemberJoined',
    schemaVersion: 1,
    streamId: `account-${accountId}`,
    streamPosition: globalPosition,
    globalPosition: globalPosition * 65_536,
    occurredAt: `2025-01-${String(day).padStart(2, '0')}T10:00:00.000Z`,
    accountId,
    actor: { userId: 'auth0|olivia', via: 'session' },
    correlationId: `corr-${globalPosition}`,
    causationId: null,
    data: { ...EVENT_EXAMPLES.MemberJoined, email: `member${globalPosition}@example.com` },
  };
}

const FIVE_EVENTS = [1, 2, 3, 4, 5].map((position) => envelopeAt(position, position));

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** The export's lines without their line feeds. */
async function exportLines(
  events: readonly EventEnvelope[] = FIVE_EVENTS,
  options: { signingKey?: KeyObject; from?: string | null; to?: string | null } = {},
): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of auditExportLines(from(events), {
    accountId: ACCOUNT,
    from: options.from ?? null,
    to: options.to ?? null,
    signingKey: options.signingKey ?? signer.privateKey,
  })) {
    expect(line.endsWith('\n')).toBe(true);
    lines.push(line.slice(0, -1));
  }
  return lines;
}

const verifyLines = (lines: readonly string[], publicKey?: KeyObject): Promise<AuditVerification> =>
  verifyAuditExport(from(lines), { publicKey });

/** Line `index` (0-based) parsed, changed by `edit`, written back. */
function editLine(lines: readonly string[], index: number, edit: (record: Record<string, unknown>) => void): string[] {
  const record = JSON.parse(lines[index]!) as Record<string, unknown>;
  edit(record);
  return lines.map((line, i) => (i === index ? JSON.stringify(record) : line));
}

/** Event lines hashed and chained as the exporter would, in the order given, with a valid head. */
function forgedExport(events: readonly EventEnvelope[], head: { from?: string | null } = {}): string[] {
  let prevHash = GENESIS_HASH;
  const lines = events.map((event) => {
    const hash = auditLineHash({ ...event, prevHash });
    const line = JSON.stringify({ ...event, prevHash, hash });
    prevHash = hash;
    return line;
  });
  const fields = { accountId: ACCOUNT, from: head.from ?? null, to: null, count: events.length, lastHash: prevHash };
  return [...lines, JSON.stringify(signedHead(fields, signer.privateKey))];
}

const failedAt = (line: number, reason: RegExp) => ({ ok: false, line, reason: expect.stringMatching(reason) });

describe('audit export', () => {
  it('writes one chained line per event and a signed head, which verify accepts', async () => {
    const lines = await exportLines(FIVE_EVENTS, { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' });

    expect(lines).toHaveLength(6);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({
      ...FIVE_EVENTS[0],
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(records[1]!['prevHash']).toBe(records[0]!['hash']);
    expect(records[5]).toEqual({
      type: 'AuditExportHead',
      accountId: ACCOUNT,
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      count: 5,
      lastHash: records[4]!['hash'],
      publicKey: signer.publicKey.export({ type: 'spki', format: 'pem' }),
      signature: expect.any(String),
    });
    expect(await verifyLines(lines)).toEqual({ ok: true, count: 5, accountId: ACCOUNT });
    expect(await verifyLines(lines, signer.publicKey)).toEqual({ ok: true, count: 5, accountId: ACCOUNT });
  });

  it('verifies an export of no event: the head alone, over the genesis hash', async () => {
    const lines = await exportLines([]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ count: 0, lastHash: GENESIS_HASH });
    expect(await verifyLines(lines, signer.publicKey)).toEqual({ ok: true, count: 0, accountId: ACCOUNT });
  });

  it('accepts lines with their line feeds and one final empty line, nothing else empty', async () => {
    const lines = await exportLines();
    expect(await verifyLines(lines.map((line) => `${line}\n`))).toMatchObject({ ok: true });
    expect(await verifyLines(`${lines.join('\n')}\n`.split('\n'))).toMatchObject({ ok: true });
    expect(await verifyLines([...lines.slice(0, 2), '', ...lines.slice(2)])).toEqual(failedAt(3, /Empty line/));
    expect(await verifyLines([...lines, '', ''])).toEqual(failedAt(7, /Empty line/));
  });

  it('refuses to export an event of another account or out of global order', async () => {
    await expect(exportLines([envelopeAt(1, 1, OTHER_ACCOUNT)])).rejects.toThrow(/belongs to account/);
    await expect(exportLines([envelopeAt(2), envelopeAt(1)])).rejects.toThrow(/does not follow/);
  });

  describe('verify catches every tampering, naming the first line that fails', () => {
    let lines: string[];
    beforeAll(async () => {
      lines = await exportLines();
    });

    it('a changed field: that line', async () => {
      const changed = editLine(lines, 2, (record) => {
        record['occurredAt'] = '2025-01-03T10:00:00.001Z';
      });
      expect(await verifyLines(changed)).toEqual(failedAt(3, /Hash mismatch/));
    });

    it('a changed line whose hash was recomputed: the next line; a whole chain recomputed: the head', async () => {
      const rehashed = editLine(lines, 2, (record) => {
        const { hash: _hash, ...rest } = record;
        rest['data'] = { ...(rest['data'] as object), role: 'owner' };
        Object.assign(record, rest, { hash: auditLineHash(rest) });
      });
      expect(await verifyLines(rehashed)).toEqual(failedAt(4, /Chain broken/));

      const events = FIVE_EVENTS.map((event, i) => (i === 2 ? { ...event, data: { role: 'owner' } } : event));
      const reforged = [...forgedExport(events).slice(0, 5), lines[5]!];
      expect(await verifyLines(reforged)).toEqual(failedAt(6, /lastHash/));
    });

    it('a removed line: the line that took its place, or the head when it was the last', async () => {
      expect(await verifyLines(lines.filter((_, i) => i !== 2))).toEqual(failedAt(3, /Chain broken/));
      expect(await verifyLines(lines.filter((_, i) => i !== 0))).toEqual(failedAt(1, /Chain broken/));
      expect(await verifyLines(lines.filter((_, i) => i !== 4))).toEqual(failedAt(5, /counts 5 events.*holds 4/));
    });

    it('two swapped lines: the first of them', async () => {
      const swapped = [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)];
      expect(await verifyLines(swapped)).toEqual(failedAt(2, /Chain broken/));
    });

    it('an inserted copy of a line: the copy', async () => {
      const duplicated = [...lines.slice(0, 2), lines[1]!, ...lines.slice(2)];
      expect(await verifyLines(duplicated)).toEqual(failedAt(3, /Chain broken/));
    });

    it('a changed head: its count, account, range or signature', async () => {
      const count = editLine(lines, 5, (head) => {
        head['count'] = 4;
      });
      expect(await verifyLines(count)).toEqual(failedAt(6, /counts 4 events/));
      const account = editLine(lines, 5, (head) => {
        head['accountId'] = OTHER_ACCOUNT;
      });
      expect(await verifyLines(account)).toEqual(failedAt(6, /head is for account/));
      const range = editLine(lines, 5, (head) => {
        head['to'] = '2025-12-31T00:00:00.000Z';
      });
      expect(await verifyLines(range)).toEqual(failedAt(6, /signature is not valid/));
      const signature = editLine(lines, 5, (head) => {
        const bytes = Buffer.from(String(head['signature']), 'base64');
        bytes[0] = bytes[0]! ^ 0xff;
        head['signature'] = bytes.toString('base64');
      });
      expect(await verifyLines(signature)).toEqual(failedAt(6, /signature is not valid/));
    });

    it('a head signed by another key than the one pinned, even when it names that key', async () => {
      const byStranger = await exportLines(FIVE_EVENTS, { signingKey: stranger.privateKey });
      expect(await verifyLines(byStranger)).toMatchObject({ ok: true });
      expect(await verifyLines(byStranger, signer.publicKey)).toEqual(failedAt(6, /another key/));
      const claimsSigner = editLine(byStranger, 5, (head) => {
        head['publicKey'] = signer.publicKey.export({ type: 'spki', format: 'pem' });
      });
      expect(await verifyLines(claimsSigner, signer.publicKey)).toEqual(failedAt(6, /signature is not valid/));
      expect(await verifyLines(claimsSigner)).toEqual(failedAt(6, /signature is not valid/));
    });

    it('a missing or truncated head, or a line after it', async () => {
      expect(await verifyLines(lines.slice(0, 5))).toEqual(failedAt(6, /No AuditExportHead/));
      const cut = [...lines.slice(0, 5), lines[5]!.slice(0, 40)];
      expect(await verifyLines(cut)).toEqual(failedAt(6, /Not JSON/));
      expect(await verifyLines([...lines, lines[4]!])).toEqual(failedAt(7, /after the head/));
    });

    it('a line that is not JSON, or not an object', async () => {
      expect(await verifyLines([lines[0]!, 'not json', ...lines.slice(1)])).toEqual(failedAt(2, /Not JSON/));
      expect(await verifyLines([lines[0]!, '[1,2]', ...lines.slice(1)])).toEqual(failedAt(2, /Not a JSON object/));
    });

    it('events out of global order, of another account or outside the range, even when hashed and signed', async () => {
      const [first, second, third] = FIVE_EVENTS as [EventEnvelope, EventEnvelope, EventEnvelope];
      expect(await verifyLines(forgedExport([first, third, second]))).toEqual(failedAt(3, /Out of global order/));
      expect(await verifyLines(forgedExport([first, first]))).toEqual(failedAt(2, /Out of global order/));
      const foreign = envelopeAt(2, 2, OTHER_ACCOUNT);
      expect(await verifyLines(forgedExport([first, foreign, third]))).toEqual(failedAt(2, /account/));
      const early = forgedExport([first, second, third], { from: '2025-01-02T00:00:00.000Z' });
      expect(await verifyLines(early)).toEqual(failedAt(1, /before the exported range/));
      expect(await verifyLines(forgedExport([first, second, third]))).toMatchObject({ ok: true, count: 3 });
    });
  });
});
