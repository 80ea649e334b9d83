import { EVENT_EXAMPLES } from '@accord/contracts';
import { validateAppend } from './append-validation';
import type { NewEvent } from './event-store';
import { acceptAnyEvent, EventSchemaViolation, storedSchemaVersion, validateAccordEvent } from './event-validation';

const ACCOUNT = EVENT_EXAMPLES.MemberRemoved.accountId;
let next = 0;
const event = (type: string, data: unknown, schemaVersion?: number): NewEvent => ({
  id: `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
  type,
  data,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
  metadata: {
    accountId: ACCOUNT,
    actor: { userId: 'auth0|x', via: 'session' },
    correlationId: 'c',
    causationId: null,
    occurredAt: '2025-01-01T00:00:00.000Z',
  },
});
const violationOf = (events: readonly NewEvent[]): EventSchemaViolation => {
  try {
    validateAppend(`account-${ACCOUNT}`, events, 'any', validateAccordEvent);
  } catch (error) {
    if (error instanceof EventSchemaViolation) return error;
    throw error;
  }
  throw new Error('expected an EventSchemaViolation');
};

describe('append validation against the event schemas (issue 8 rule 2)', () => {
  it('lets valid Accord events through', () => {
    expect(() =>
      validateAppend(
        `account-${ACCOUNT}`,
        [event('MemberRemoved', EVENT_EXAMPLES.MemberRemoved), event('MemberLeft', EVENT_EXAMPLES.MemberLeft, 1)],
        'any',
        validateAccordEvent,
      ),
    ).not.toThrow();
  });

  it('refuses the MemberRemoved without userId that DELETE …/members/constructor stored, naming type, id and path', () => {
    const { userId: _userId, ...data } = EVENT_EXAMPLES.MemberRemoved;
    const bad = event('MemberRemoved', data);
    const violation = violationOf([event('MemberLeft', EVENT_EXAMPLES.MemberLeft), bad]);
    expect(violation.eventType).toBe('MemberRemoved');
    expect(violation.eventId).toBe(bad.id);
    expect(violation.paths).toEqual(expect.arrayContaining([expect.stringMatching(/^\/userId: /)]));
    expect(violation.message).not.toContain(data.email);
  });

  it('refuses unknown event types and unknown schema versions', () => {
    expect(violationOf([event('SomethingHappened', {})]).paths).toEqual(['type: unknown event type']);
    expect(violationOf([event('__proto__', {})]).eventType).toBe('__proto__');
    expect(violationOf([event('MemberLeft', EVENT_EXAMPLES.MemberLeft, 2)]).paths).toEqual([
      'schemaVersion: no schema for version 2',
    ]);
  });

  it('writes each event at its type’s current schema version and validates it against that version’s schema', () => {
    const at = (type: string, schemaVersion?: number) => storedSchemaVersion(event(type, {}, schemaVersion));
    expect([at('AccessShared'), at('MemberLeft'), at('SomethingNew'), at('AccessShared', 2)]).toEqual([2, 1, 1, 2]);
    expect(() =>
      validateAppend(
        `access-${ACCOUNT}`,
        [event('AccessShared', EVENT_EXAMPLES.AccessShared)],
        'any',
        validateAccordEvent,
      ),
    ).not.toThrow();
    const { sharedAt: _sharedAt, ...v1 } = EVENT_EXAMPLES.AccessShared;
    expect(violationOf([event('AccessShared', v1)]).paths).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/sharedAt: /)]),
    );
  });

  it('refuses to write an older schema version: it is only read, and upcast', () => {
    const { sharedAt: _sharedAt, ...v1 } = EVENT_EXAMPLES.AccessShared;
    expect(violationOf([event('AccessShared', v1, 1)]).paths).toEqual([
      'schemaVersion: version 1 is read-only, write 2',
    ]);
    expect(violationOf([event('AccessShared', EVENT_EXAMPLES.AccessShared, 3)]).paths).toEqual([
      'schemaVersion: no schema for version 3',
    ]);
  });

  it('validates the data as it will be stored (its JSON form)', () => {
    // NaN is stored as null, a Date as a string: the JSON form is what must match.
    expect(
      violationOf([
        event('InvitationSettingsChanged', { ...EVENT_EXAMPLES.InvitationSettingsChanged, expiryHours: Number.NaN }),
      ]).paths,
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^\/expiryHours: /)]));
    expect(() =>
      validateAppend(
        `account-${ACCOUNT}`,
        [
          event('AccessShared', {
            ...EVENT_EXAMPLES.AccessShared,
            expiresAt: new Date(EVENT_EXAMPLES.AccessShared.expiresAt),
          }),
        ],
        'any',
        validateAccordEvent,
      ),
    ).not.toThrow();
    expect(violationOf([event('MemberLeft', { ...EVENT_EXAMPLES.MemberLeft, big: 10n })]).paths).toEqual([
      '/: not serialisable as JSON',
    ]);
    expect(violationOf([event('MemberLeft', undefined)]).eventType).toBe('MemberLeft');
  });

  it('accepts any event only when told to (the generic store contract)', () => {
    expect(() =>
      validateAppend('test-1', [event('SomethingHappened', { value: 1 })], 'any', acceptAnyEvent),
    ).not.toThrow();
  });
});
