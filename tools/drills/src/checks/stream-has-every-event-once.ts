import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection } from 'nats';
import type { SqlClient } from '@accord/eventstore';
import { examples, type CheckOutcome } from './check';

/** What the stream is called (`natsNaming(prefix)` of service-kit gives it). */
export interface StreamNaming {
  readonly streamName: string;
}

interface StoredEvent {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_position: string;
}

interface Streamed {
  readonly seq: number;
  readonly msgId: string | null;
  readonly streamId: string | null;
  readonly streamPosition: number | null;
}

/**
 * Every stored event is in the JetStream stream exactly once by `Nats-Msg-Id` (= event id), and the
 * events of each aggregate stream appear in their stream order. The stream is read whole by an
 * ordered (ephemeral) consumer from the first message, as an outside consumer would read it.
 * It first waits (up to `settleMs`) for the relay to have published as many messages as the store
 * holds events. Counts: `events`, `messages`, `lost` (stored, never published), `duplicates`
 * (messages beyond the first per id: what a consumer must de-duplicate), `unknown` (ids the store
 * does not hold).
 */
export async function streamHasEveryEventOnce(
  sql: SqlClient,
  nats: NatsConnection,
  naming: StreamNaming,
  settleMs = 30_000,
  /** Messages a drill put in the stream on purpose (the duplicating proxy's copies): not counted. */
  injected: (msgId: string) => boolean = () => false,
): Promise<CheckOutcome> {
  const check = 'stream has every event once';
  const stored = (
    await sql.query<StoredEvent>(
      `SELECT event_id, stream_id, stream_position::text AS stream_position FROM events ORDER BY global_position`,
    )
  ).rows;
  const jsm = await nats.jetstreamManager();
  const deadline = Date.now() + settleMs;
  let info = await jsm.streams.info(naming.streamName).catch(() => null);
  while (Date.now() < deadline && (info === null || info.state.messages < stored.length)) {
    await sleep(250);
    info = await jsm.streams.info(naming.streamName).catch(() => null);
  }
  if (info === null) {
    return {
      check,
      failures: [`stream ${naming.streamName} does not exist (${stored.length} events stored)`],
      counts: { events: stored.length, messages: 0, lost: stored.length, duplicates: 0, unknown: 0 },
    };
  }
  const streamed = (await readStream(nats, naming.streamName, info.state.last_seq, info.state.messages)).filter(
    (message) => message.msgId === null || !injected(message.msgId),
  );

  const storedIds = new Map(stored.map((e) => [e.event_id, e]));
  const seen = new Map<string, number>();
  const withoutId: number[] = [];
  for (const message of streamed) {
    if (message.msgId === null) withoutId.push(message.seq);
    else seen.set(message.msgId, (seen.get(message.msgId) ?? 0) + 1);
  }
  const lost = stored.filter((e) => !seen.has(e.event_id));
  const duplicated = [...seen].filter(([, count]) => count > 1);
  const duplicates = duplicated.reduce((sum, [, count]) => sum + count - 1, 0);
  const unknown = [...seen.keys()].filter((id) => !storedIds.has(id));

  // Per aggregate stream: positions strictly increase in stream order (first copy of each id).
  const lastPosition = new Map<string, number>();
  const outOfOrder: string[] = [];
  const firstSeen = new Set<string>();
  const mismatched: string[] = [];
  for (const message of streamed) {
    if (message.msgId === null || firstSeen.has(message.msgId)) continue;
    firstSeen.add(message.msgId);
    const row = storedIds.get(message.msgId);
    if (!row) continue;
    const position = Number(row.stream_position);
    if (message.streamId !== row.stream_id || message.streamPosition !== position)
      mismatched.push(`${message.msgId} at seq ${message.seq}`);
    const before = lastPosition.get(row.stream_id);
    if (before !== undefined && position <= before)
      outOfOrder.push(`${row.stream_id}: position ${position} after ${before} (seq ${message.seq})`);
    lastPosition.set(row.stream_id, Math.max(position, before ?? -1));
  }

  const failures: string[] = [];
  if (lost.length > 0)
    failures.push(`${lost.length} stored events never reached the stream: ${examples(lost, (e) => e.event_id)}`);
  if (duplicates > 0) {
    failures.push(
      `${duplicates} duplicate messages (same Nats-Msg-Id) in the stream: ${examples(duplicated, ([id, n]) => `${id} ×${n}`)}`,
    );
  }
  if (unknown.length > 0)
    failures.push(`${unknown.length} messages whose id the store does not hold: ${examples(unknown, (id) => id)}`);
  if (withoutId.length > 0)
    failures.push(`${withoutId.length} messages without Nats-Msg-Id: seq ${examples(withoutId, String)}`);
  if (mismatched.length > 0)
    failures.push(
      `${mismatched.length} messages whose envelope disagrees with the store: ${examples(mismatched, (s) => s)}`,
    );
  if (outOfOrder.length > 0)
    failures.push(`${outOfOrder.length} events out of their stream order: ${examples(outOfOrder, (s) => s)}`);
  return {
    check,
    failures,
    counts: {
      events: stored.length,
      messages: streamed.length,
      lost: lost.length,
      duplicates,
      unknown: unknown.length,
    },
  };
}

/** Reads messages up to `lastSeq` with an ordered consumer (deliver all). */
async function readStream(
  nats: NatsConnection,
  streamName: string,
  lastSeq: number,
  messageCount: number,
): Promise<Streamed[]> {
  const out: Streamed[] = [];
  if (messageCount === 0) return out;
  const consumer = await nats.jetstream().consumers.get(streamName);
  const messages = await consumer.consume({ max_messages: 1000 });
  // A stalled read must not hang the drill: bounded by a generous deadline.
  const timer = setTimeout(() => void messages.close(), 120_000);
  try {
    for await (const m of messages) {
      let envelope: { streamId?: unknown; streamPosition?: unknown } = {};
      try {
        envelope = JSON.parse(new TextDecoder().decode(m.data)) as typeof envelope;
      } catch {
        // not JSON: counted by id only
      }
      out.push({
        seq: m.seq,
        msgId: m.headers?.get('Nats-Msg-Id') || null,
        streamId: typeof envelope.streamId === 'string' ? envelope.streamId : null,
        streamPosition: typeof envelope.streamPosition === 'number' ? envelope.streamPosition : null,
      });
      if (m.seq >= lastSeq) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  return out;
}
