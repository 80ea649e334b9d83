import { formatTraceparent, parseTraceparent } from './envelope';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('W3C traceparent: the strict version 00 parser', () => {
  it('reads the trace id, parent id and flags of a valid header', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      parentId: PARENT_ID,
      flags: '01',
    });
  });

  it('formats what it parses back into the same header', () => {
    const header = `00-${TRACE_ID}-${PARENT_ID}-00`;
    expect(formatTraceparent(parseTraceparent(header)!)).toBe(header);
  });

  it.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['another version', `01-${TRACE_ID}-${PARENT_ID}-01`],
    ['the forbidden version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['a long parent id', `00-${TRACE_ID}-${PARENT_ID}0-01`],
    ['a one-digit flags field', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['a non-hex character', `00-${TRACE_ID.slice(0, 31)}g-${PARENT_ID}-01`],
    ['an extra field', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
    ['surrounding whitespace', ` 00-${TRACE_ID}-${PARENT_ID}-01`],
    ['a trailing newline', `00-${TRACE_ID}-${PARENT_ID}-01\n`],
    ['two headers joined by a comma', `00-${TRACE_ID}-${PARENT_ID}-01, 00-${TRACE_ID}-${PARENT_ID}-01`],
    ['an empty string', ''],
  ])('refuses %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, [`00-${TRACE_ID}-${PARENT_ID}-01`], {}]) {
      expect(parseTraceparent(value)).toBeUndefined();
    }
  });
});
