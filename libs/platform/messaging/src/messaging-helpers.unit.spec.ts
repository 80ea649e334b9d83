import { backoffDelay } from './backoff';
import { contextOfEventType, eventSubjectFor, eventTypeFilter } from './events-stream';
import { isReply, unavailable } from './reply-values';
import { prefixSubject } from './subject-prefix';

describe('messaging helpers', () => {
  it('prefixes subjects only when a prefix is set', () => {
    expect(prefixSubject('', 'accord.cmd.x')).toBe('accord.cmd.x');
    expect(prefixSubject(undefined, 'accord.cmd.x')).toBe('accord.cmd.x');
    expect(prefixSubject('t123', 'accord.cmd.x')).toBe('t123.accord.cmd.x');
  });

  it('builds event subjects from the contract context and keeps tokens valid', () => {
    expect(eventSubjectFor('accord.events', contextOfEventType('AccessShared'), 'AccessShared')).toBe(
      'accord.events.invitation.AccessShared',
    );
    expect(eventSubjectFor('accord.events', contextOfEventType('MemberJoined'), 'MemberJoined')).toBe(
      'accord.events.membership.MemberJoined',
    );
    expect(eventSubjectFor('accord.events', contextOfEventType('Brand.New'), 'Brand.New')).toBe(
      'accord.events.unknown.Brand_New',
    );
    expect(eventTypeFilter('accord.events', 'AccessShared')).toBe('accord.events.*.AccessShared');
  });

  it('recognises Reply values only', () => {
    expect(isReply({ ok: true, value: 1 })).toBe(true);
    expect(isReply({ ok: true })).toBe(true); // `value: undefined` does not survive JSON
    expect(isReply(unavailable('x'))).toBe(true);
    expect(isReply({ ok: false, error: 'nope' })).toBe(false);
    expect(isReply({ id: 1 })).toBe(false);
    expect(isReply(null)).toBe(false);
  });

  it('backs off exponentially up to a ceiling', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000]);
  });
});
