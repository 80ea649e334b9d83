import { DomainError } from './errors';
import { isPageKeyOf, memberFilterOf, pageOf, pageRequestOf } from './paging';

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.field;
    throw error;
  }
  return undefined;
};

describe('paging', () => {
  const key = ['2030-01-31T12:00:00.123456Z', '5b0a3c39-9c0b-4d54-9a57-63a5bd1a2a4e'];

  it('a page out of limit + 1 rows: the extra row only says there is more', () => {
    const view = (n: number) => `#${n}`;
    expect(pageOf([1, 2, 3], 2, (n) => [n], view)).toEqual({ items: ['#1', '#2'], nextAfter: [2] });
    expect(pageOf([1, 2], 2, (n) => [n], view)).toEqual({ items: ['#1', '#2'], nextAfter: null });
    expect(pageOf([], 2, (n: number) => [n], view)).toEqual({ items: [], nextAfter: null });
  });

  it('a service checks a page request itself: limit 1 to 200 (default 50), after of the list’s key kinds', () => {
    expect(pageRequestOf({}, ['instant', 'uuid'])).toEqual({ limit: 50 });
    expect(pageRequestOf({ limit: 200, after: key }, ['instant', 'uuid'])).toEqual({ limit: 200, after: key });
    for (const limit of [0, 201, 1.5, '2']) expect(fieldOf(() => pageRequestOf({ limit }, ['uuid']))).toBe('limit');
    for (const after of [[key[0]], [key[1], key[0]], 'x', [{}, key[1]], ['2030-02-30T00:00:00.000000Z', key[1]]])
      expect(fieldOf(() => pageRequestOf({ after }, ['instant', 'uuid']))).toBe('after');
  });

  it('key kinds: instants as the services write them, UUIDs, bounded text, safe integers', () => {
    expect(isPageKeyOf(key, ['instant', 'uuid'])).toBe(true);
    expect(isPageKeyOf(['2030-01-31T12:00:00Z', key[1]], ['instant', 'uuid'])).toBe(false);
    expect(isPageKeyOf(['x'.repeat(256)], ['string'])).toBe(false);
    expect(isPageKeyOf([2 ** 53], ['integer'])).toBe(false);
    expect(isPageKeyOf([7, 'a'], ['integer', 'string'])).toBe(true);
  });

  it('the member filters: a role name and a prefix without control characters', () => {
    expect(memberFilterOf({ role: 'read-only', q: '50%_off' })).toEqual({ role: 'read-only', q: '50%_off' });
    expect(memberFilterOf({})).toEqual({});
    expect(fieldOf(() => memberFilterOf({ role: 'Owner' }))).toBe('role');
    expect(fieldOf(() => memberFilterOf({ q: '' }))).toBe('q');
    expect(fieldOf(() => memberFilterOf({ q: 'a\nb' }))).toBe('q');
    expect(fieldOf(() => memberFilterOf({ q: 'x'.repeat(255) }))).toBe('q');
  });
});
