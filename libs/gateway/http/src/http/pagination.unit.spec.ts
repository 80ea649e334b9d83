import { GatewayError } from '../problem/gateway-error';
import { answerPage, decodeCursor, encodeCursor, nextLinkHeader, parsePageQuery } from './pagination';

const KEY = ['instant', 'string'] as const;

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error.fieldErrors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected a 400');
}

describe('pagination', () => {
  describe('limit', () => {
    it('defaults to 50 and takes 1 to 200', () => {
      expect(parsePageQuery({}, 'members', KEY)).toEqual({ limit: 50 });
      expect(parsePageQuery({ limit: '1' }, 'members', KEY).limit).toBe(1);
      expect(parsePageQuery({ limit: '200' }, 'members', KEY).limit).toBe(200);
    });

    it.each(['0', '201', '-1', '1.5', '01', ' 2', '1e2', 'ten', ''])(
      'refuses limit=%j with a 400 naming limit',
      (limit) => {
        expect(fieldsOf(() => parsePageQuery({ limit }, 'members', KEY))).toEqual(['limit']);
      },
    );

    it('refuses a repeated limit', () => {
      expect(fieldsOf(() => parsePageQuery({ limit: ['2', '3'] }, 'members', KEY))).toEqual(['limit']);
    });
  });

  describe('cursor', () => {
    const key = ['2030-01-31T12:00:00.000000Z', 'user-1'];

    it('round-trips a key of its own list', () => {
      const cursor = encodeCursor('members', key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(parsePageQuery({ cursor, limit: '2' }, 'members', KEY)).toEqual({ limit: 2, after: key });
    });

    it('refuses a cursor of another list', () => {
      expect(decodeCursor('tokens', encodeCursor('members', key), KEY)).toBeUndefined();
      expect(fieldsOf(() => parsePageQuery({ cursor: encodeCursor('members', key) }, 'tokens', KEY))).toEqual([
        'cursor',
      ]);
    });

    it('refuses a key of the wrong shape', () => {
      expect(decodeCursor('members', encodeCursor('members', ['only-one']), KEY)).toBeUndefined();
      expect(decodeCursor('members', encodeCursor('members', [1, 'x']), KEY)).toBeUndefined();
      // Opaque is not signed: a well-formed cursor around a value SQL would choke on is refused too.
      expect(decodeCursor('members', encodeCursor('members', ['yesterday', 'x']), KEY)).toBeUndefined();
      expect(
        decodeCursor('members', encodeCursor('members', ['2030-02-31T00:00:00.000000Z', 'x']), KEY),
      ).toBeUndefined();
      expect(
        decodeCursor('tokens', encodeCursor('tokens', [key[0], 'not-a-uuid']), ['instant', 'uuid']),
      ).toBeUndefined();
      expect(decodeCursor('roles', encodeCursor('roles', [1.5]), ['integer'])).toBeUndefined();
      expect(decodeCursor('roles', encodeCursor('roles', [2 ** 60]), ['integer'])).toBeUndefined();
      expect(decodeCursor('roles', encodeCursor('roles', [7]), ['integer'])).toEqual([7]);
    });

    it('takes a guard for keys of more than one form', () => {
      const guard = (k: readonly unknown[]) => k[0] === 'm' || k[0] === 'i';
      expect(decodeCursor('members', encodeCursor('members', ['m', { a: 1 } as never]), guard)).toBeUndefined();
      expect(decodeCursor('members', encodeCursor('members', ['i', 'x']), guard)).toEqual(['i', 'x']);
      expect(decodeCursor('members', encodeCursor('members', ['z', 'x']), guard)).toBeUndefined();
    });

    const forged = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    it.each([
      ['not base64url', 'a+b/c='],
      ['not JSON', forged('members:[oops')],
      ['not an array', forged('members:{"a":1}')],
      ['objects inside', forged('members:[{},"x"]')],
      ['non-canonical JSON', forged('members:[ "a","b"]')],
      ['no list name', forged('["a","b"]')],
      ['too long', 'A'.repeat(2000)],
      ['empty', ''],
    ])('refuses %s with a 400 naming cursor', (_why, cursor) => {
      expect(fieldsOf(() => parsePageQuery({ cursor }, 'members', KEY))).toEqual(['cursor']);
    });

    it('refuses a non-canonical base64url spelling of a valid cursor', () => {
      const cursor = encodeCursor('roles', ['a']);
      // The last character carries stray low bits that decoding forgives.
      const last = cursor.at(-1) as string;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const sibling = [...alphabet].find(
        (c) => c !== last && Buffer.from(cursor.slice(0, -1) + c, 'base64url').equals(Buffer.from(cursor, 'base64url')),
      );
      expect(sibling).toBeDefined();
      expect(decodeCursor('roles', cursor.slice(0, -1) + String(sibling), ['string'])).toBeUndefined();
    });

    it('names both fields when both are wrong', () => {
      expect(fieldsOf(() => parsePageQuery({ limit: '0', cursor: 'x!' }, 'members', KEY))).toEqual(['limit', 'cursor']);
    });
  });

  describe('Link header', () => {
    it('keeps the path, the filters and the limit, and sets the cursor', () => {
      expect(nextLinkHeader('/v1/accounts/a/members?role=owner&limit=2', 'abc')).toBe(
        '</v1/accounts/a/members?role=owner&limit=2&cursor=abc>; rel="next"',
      );
    });

    it('replaces the cursor of the page it follows', () => {
      expect(nextLinkHeader('/v1/me/notifications?cursor=old&limit=2', 'new')).toBe(
        '</v1/me/notifications?cursor=new&limit=2>; rel="next"',
      );
    });

    it('cannot be broken out of by hostile query text', () => {
      const link = nextLinkHeader('/v1/accounts/a/members?q=a>;rel="x"<', 'c');
      expect(link.match(/[<>]/g)).toEqual(['<', '>']);
      expect(link.endsWith('>; rel="next"')).toBe(true);
    });

    it('is set only when there is a next page', () => {
      const headers: Record<string, string> = {};
      const reply = { header: (name: string, value: string) => ((headers[name] = value), reply) } as never;
      expect(answerPage(reply, '/v1/x?limit=1', 'roles', { items: ['a'], nextAfter: null })).toEqual({
        items: ['a'],
        next: null,
      });
      expect(headers).toEqual({});
      const body = answerPage(reply, '/v1/x?limit=1', 'roles', { items: ['a'], nextAfter: ['a'] });
      expect(body.next).toBe(encodeCursor('roles', ['a']));
      expect(headers['link']).toBe(`</v1/x?limit=1&cursor=${body.next}>; rel="next"`);
    });
  });
});
