import { asAccordEnvelope, type MembershipEvent } from '@accord/contracts';
import { PostgresEventStore, type SqlClient } from '@accord/eventstore';
import { accountDecider, type AccountState } from '@accord/membership-domain';
import { MAILED_EVENT_TYPES, mailsFor, type MailedEvent } from '@accord/notification-domain';
import { deliveryIdOf } from '@accord/notification-service';
import type { ReceivedMail } from '../ports';
import { examples, type CheckOutcome } from './check';

/** `<id@accord>`, `id@accord` or the bare id → the delivery id, lower case. */
export const deliveryIdOfMessageId = (messageId: string) =>
  messageId
    .trim()
    .replace(/^</, '')
    .replace(/>$/, '')
    .replace(/@accord$/i, '')
    .toLowerCase();

interface Expected {
  readonly deliveryId: string;
  readonly label: string;
}

/**
 * Every e-mail the stored events call for was received, none other, and each once but for the
 * documented at-least-once window. The expected set is computed from the store with the
 * notification domain's own rule (`mailsFor`): who gets what depends only on the event, except
 * "member left", whose recipients are the owners at that moment — folded here from the account's
 * stream up to the event. Message-ID = `<deliveryId@accord>`, deliveryId = uuidv5 of cause event,
 * recipient (lower case) and kind. Besides:
 * - the outbox (`notification_deliveries`) must hold exactly the expected delivery ids, one row per
 *   (event, recipient, kind) — two ids for the same three would be two different Message-IDs;
 * - a Message-ID received twice is counted (`duplicates`), not failed: the worker may resend after
 *   the SMTP server accepted a mail and before the delivery was marked sent.
 * Counts: `expected`, `received`, `missing`, `unexpected`, `duplicates`.
 */
export async function mailsSentOnce(sql: SqlClient, received: readonly ReceivedMail[]): Promise<CheckOutcome> {
  const expected = await expectedMails(sql);
  const receivedCount = new Map<string, number>();
  for (const mail of received) {
    const id = deliveryIdOfMessageId(mail.messageId);
    receivedCount.set(id, (receivedCount.get(id) ?? 0) + 1);
  }
  const missing = [...expected.values()].filter((e) => !receivedCount.has(e.deliveryId));
  const unexpected = [...receivedCount.keys()].filter((id) => !expected.has(id));
  const twice = [...receivedCount].filter(([, n]) => n > 1);
  const duplicates = twice.reduce((sum, [, n]) => sum + n - 1, 0);

  const { rows: outbox } = await sql
    .query<{ delivery_id: string; cause_event_id: string; recipient: string; kind: string }>(
      `SELECT delivery_id::text, cause_event_id::text, recipient, kind FROM notification_deliveries`,
    )
    .catch(() => ({ rows: [] as { delivery_id: string; cause_event_id: string; recipient: string; kind: string }[] }));
  const outboxIds = new Set(outbox.map((r) => r.delivery_id.toLowerCase()));
  const notQueued = [...expected.values()].filter((e) => !outboxIds.has(e.deliveryId));
  const queuedNotExpected = outbox.filter((r) => !expected.has(r.delivery_id.toLowerCase()));
  const perTriple = new Map<string, number>();
  for (const r of outbox) {
    const key = `${r.cause_event_id}/${r.recipient.toLowerCase()}/${r.kind}`;
    perTriple.set(key, (perTriple.get(key) ?? 0) + 1);
  }
  const twoIds = [...perTriple].filter(([, n]) => n > 1);

  const failures: string[] = [];
  if (missing.length > 0)
    failures.push(`${missing.length} expected e-mails never received: ${examples(missing, (e) => e.label)}`);
  if (unexpected.length > 0)
    failures.push(`${unexpected.length} received Message-IDs no event calls for: ${examples(unexpected, (id) => id)}`);
  if (notQueued.length > 0)
    failures.push(`${notQueued.length} expected e-mails not in the outbox: ${examples(notQueued, (e) => e.label)}`);
  if (queuedNotExpected.length > 0) {
    failures.push(
      `${queuedNotExpected.length} outbox rows no event calls for: ${examples(queuedNotExpected, (r) => `${r.kind} to ${r.recipient} for ${r.cause_event_id}`)}`,
    );
  }
  if (twoIds.length > 0)
    failures.push(`${twoIds.length} (event, recipient, kind) with two delivery ids: ${examples(twoIds, ([k]) => k)}`);
  return {
    check: 'mails sent once',
    failures,
    counts: {
      expected: expected.size,
      received: received.length,
      missing: missing.length,
      unexpected: unexpected.length,
      duplicates,
    },
  };
}

/** The e-mails the stored events call for, by delivery id. */
export async function expectedMails(sql: SqlClient): Promise<Map<string, Expected>> {
  const store = new PostgresEventStore(sql);
  const mailed = new Set<string>(MAILED_EVENT_TYPES);
  const out = new Map<string, Expected>();
  for (let after = 0; ;) {
    const page = await store.readAll(after, 500);
    const last = page.at(-1);
    if (!last) return out;
    after = last.globalPosition;
    for (const envelope of page) {
      if (!mailed.has(envelope.type)) continue;
      const event = asAccordEnvelope(envelope) as MailedEvent | null;
      if (!event) continue;
      const ownerEmails =
        event.type === 'MemberLeft' ? await ownersAt(store, event.streamId, event.streamPosition) : [];
      const { mails } = mailsFor(event, { accountName: '', inviterEmail: null, invitationRole: null, ownerEmails });
      for (const mail of mails) {
        const deliveryId = deliveryIdOf(event.id, mail.recipient, mail.kind);
        out.set(deliveryId, { deliveryId, label: `${mail.kind} to ${mail.recipient} for ${event.type} ${event.id}` });
      }
    }
  }
}

/** The owners' addresses of an account once its stream is folded up to `position` (inclusive). */
async function ownersAt(store: PostgresEventStore, streamId: string, position: number): Promise<string[]> {
  const events = (await store.readStream(streamId)).filter((e) => e.streamPosition <= position);
  const state = events.reduce<AccountState>(
    (s, e) => accountDecider.evolve(s, { type: e.type, data: e.data } as MembershipEvent),
    accountDecider.initialState(),
  );
  if (state.status !== 'active') return [];
  return [...state.members.values()].filter((m) => m.role === 'owner').map((m) => m.email);
}
