import { AuditDirectory, auditLogData, describeEvent, DIRECTORY_EVENT_TYPES } from '@accord/audit';
import type {
  AuditEventsPage,
  AuditEventsPayload,
  AuditLogEntry,
  AuditLogPage,
  AuditLogPayload,
  EventEnvelope,
} from '@accord/contracts';
import { eventsMatching, type EventStore } from '@accord/eventstore';
import { withinBudget } from './reply-budget';

/** Events per store read while learning an account's e-mail addresses. */
const DIRECTORY_READ = 1000;

/**
 * One page of the account's audit log, newest first. Read from the event store itself, not a read
 * model: the log is the record, and it is never behind (so `minPosition` needs no waiting).
 */
export async function auditLogPage(store: EventStore, payload: AuditLogPayload): Promise<AuditLogPage> {
  // One more than asked tells whether an older page exists, so the last page says so itself.
  const events = await store.readEvents({
    accountId: payload.accountId,
    direction: 'backward',
    limit: payload.limit + 1,
    ...(payload.before !== undefined ? { before: payload.before } : {}),
    ...(payload.types !== undefined ? { types: payload.types } : {}),
    ...(payload.actorId !== undefined ? { actorId: payload.actorId } : {}),
    ...(payload.from !== undefined ? { from: payload.from } : {}),
    ...(payload.to !== undefined ? { to: payload.to } : {}),
  });
  // Learnt after the page was read: it knows every address the page's events can mention.
  const directory = await accountDirectory(store, payload.accountId);
  const entries = withinBudget(events.slice(0, payload.limit).map((event) => entryOf(event, directory)));
  // The cursor is the position of the last entry sent: the next page starts just below it.
  const last = events[entries.length - 1];
  return {
    entries,
    nextBefore: last !== undefined && entries.length < events.length ? last.globalPosition : null,
  };
}

/** A page of the account's raw events in global order (the gateway signs them into the export). */
export async function auditEventsPage(store: EventStore, payload: AuditEventsPayload): Promise<AuditEventsPage> {
  const events = await store.readEvents({
    accountId: payload.accountId,
    direction: 'forward',
    after: payload.after,
    limit: payload.limit,
    ...(payload.from !== undefined ? { from: payload.from } : {}),
    ...(payload.to !== undefined ? { to: payload.to } : {}),
  });
  return { events: withinBudget(events) };
}

function entryOf(event: EventEnvelope, directory: AuditDirectory): AuditLogEntry {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    actor: event.actor,
    sentence: describeEvent(event, directory),
    data: auditLogData(event),
  };
}

/**
 * Who is who in the account: every address its events recorded, as known now (the latest wins).
 * Only the event types that name a user id beside an e-mail are read — the others teach the
 * directory nothing — so a page costs one pass over the account's membership changes, not over
 * its whole history; a directory kept by a projection is the step after this one.
 */
async function accountDirectory(store: EventStore, accountId: string): Promise<AuditDirectory> {
  const directory = new AuditDirectory();
  const query = { accountId, types: DIRECTORY_EVENT_TYPES, limit: DIRECTORY_READ };
  for await (const event of eventsMatching(store, query)) directory.learn(event);
  return directory;
}
