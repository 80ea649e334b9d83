import type { EventEnvelope } from '../envelope';
import { EVENT_EXAMPLES } from '../event-examples';
import { EVENT_SCHEMAS, validateEventData } from '../event-schemas';
import { CURRENT_SCHEMA_VERSION, currentSchemaVersion, UPCASTERS } from './registry';
import { upcast } from './upcast';

const occurredAt = '2025-03-01T09:59:58.123Z';
const envelope = (type: string, schemaVersion: number, data: unknown): EventEnvelope => ({
  id: '3b1f6a2e-7c4d-4e5f-9a8b-1c2d3e4f5a6b',
  type,
  schemaVersion,
  streamId: `access-${EVENT_EXAMPLES.AccessShared.accountId}`,
  streamPosition: 0,
  globalPosition: 65_536,
  occurredAt,
  accountId: EVENT_EXAMPLES.AccessShared.accountId,
  actor: { userId: EVENT_EXAMPLES.AccessShared.sharedBy, via: 'session' },
  correlationId: 'c1',
  causationId: null,
  data,
});
/** AccessShared as a version 1 writer stored it. */
const { sharedAt: _sharedAt, ...accessSharedV1 } = EVENT_EXAMPLES.AccessShared;

describe('upcast', () => {
  it('AccessShared v1 → v2: sharedAt is the envelope’s occurredAt, the rest of the data as stored', () => {
    const stored = envelope('AccessShared', 1, accessSharedV1);
    const read = upcast(stored);
    expect(read).toEqual({ ...stored, schemaVersion: 2, data: { ...accessSharedV1, sharedAt: occurredAt } });
    expect(validateEventData('AccessShared', read.data)).toEqual({ ok: true });
  });

  it('never changes the stored envelope it was given (readers share it)', () => {
    const stored = envelope('AccessShared', 1, accessSharedV1);
    const copy = structuredClone(stored);
    upcast(stored);
    expect(stored).toEqual(copy);
  });

  it('returns an envelope at its current version as is: the same object, no copy', () => {
    const current = envelope('AccessShared', 2, EVENT_EXAMPLES.AccessShared);
    expect(upcast(current)).toBe(current);
    const memberLeft = envelope('MemberLeft', 1, EVENT_EXAMPLES.MemberLeft);
    expect(upcast(memberLeft)).toBe(memberLeft);
  });

  it('returns an unknown type as is, whatever its version (also names of Object.prototype)', () => {
    for (const type of ['SomethingNew', 'constructor', '__proto__', 'toString']) {
      const unknown = envelope(type, 1, { n: 1 });
      expect(upcast(unknown)).toBe(unknown);
    }
  });

  it('returns a version newer than this reader knows as is, without throwing (a newer writer during a rollout)', () => {
    const future = envelope('AccessShared', 3, { ...EVENT_EXAMPLES.AccessShared, somethingNew: true });
    expect(upcast(future)).toBe(future);
  });

  it('returns a version that cannot exist as is (never indexes a step that is not there)', () => {
    for (const version of [0, -1, 1.5, Number.NaN]) {
      const odd = envelope('AccessShared', version, accessSharedV1);
      expect(upcast(odd)).toBe(odd);
    }
  });
});

describe('the upcaster registry', () => {
  it('puts every type at 1 + its steps: AccessShared at 2, the others at 1', () => {
    expect(CURRENT_SCHEMA_VERSION.AccessShared).toBe(2);
    expect(CURRENT_SCHEMA_VERSION.InvitationResent).toBe(1);
    expect(currentSchemaVersion('SomethingNew')).toBe(1);
    expect(currentSchemaVersion('constructor')).toBe(1);
    for (const type of Object.keys(EVENT_SCHEMAS) as (keyof typeof EVENT_SCHEMAS)[]) {
      expect(CURRENT_SCHEMA_VERSION[type]).toBe(1 + (UPCASTERS[type]?.length ?? 0));
    }
  });

  it('brings every type’s example, stripped back to version 1 where it has steps, to a valid current event', () => {
    // The example is the current version; AccessShared's v1 is it without sharedAt.
    const v1: Record<string, unknown> = { ...EVENT_EXAMPLES, AccessShared: accessSharedV1 };
    for (const type of Object.keys(EVENT_SCHEMAS)) {
      const read = upcast(envelope(type, 1, v1[type]));
      expect({ type, version: read.schemaVersion }).toEqual({ type, version: currentSchemaVersion(type) });
      expect({ type, result: validateEventData(type, read.data) }).toEqual({ type, result: { ok: true } });
    }
  });
});
