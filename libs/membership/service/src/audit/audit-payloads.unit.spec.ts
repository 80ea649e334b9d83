import { randomUUID } from 'node:crypto';
import { DomainError } from '@accord/contracts';
import { auditEventsPayload, auditLogPayload } from './audit-payloads';
import { withinBudget } from './reply-budget';

const accountId = randomUUID();

function fieldOf(read: () => unknown): string | undefined {
  try {
    read();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'validation') return error.field;
    throw error;
  }
  return undefined;
}

describe('audit queries as the membership service takes them', () => {
  it('rebuilds a well-formed audit log query and drops anything else', () => {
    expect(
      auditLogPayload({
        accountId,
        limit: 10,
        before: 41,
        types: ['RoleChanged', 'RoleChanged'],
        actorId: 'user-7',
        from: '2030-01-01T00:00:00.000Z',
        to: '2030-02-01T00:00:00.000Z',
        extra: 'ignored',
      }),
    ).toEqual({
      accountId,
      limit: 10,
      before: 41,
      types: ['RoleChanged'],
      actorId: 'user-7',
      from: '2030-01-01T00:00:00.000Z',
      to: '2030-02-01T00:00:00.000Z',
    });
    expect(auditEventsPayload({ accountId, limit: 500 })).toEqual({ accountId, after: 0, limit: 500 });
  });

  it.each([
    ['accountId', { accountId: 'not-a-uuid', limit: 1 }],
    ['limit', { accountId, limit: 0 }],
    ['limit', { accountId, limit: 201 }],
    ['limit', { accountId, limit: '5' }],
    ['before', { accountId, limit: 1, before: -1 }],
    ['before', { accountId, limit: 1, before: 1.5 }],
    ['types', { accountId, limit: 1, types: ['constructor'] }],
    ['types', { accountId, limit: 1, types: [] }],
    ['actorId', { accountId, limit: 1, actorId: 'a/b' }],
    ['from', { accountId, limit: 1, from: '2030-01-01' }],
    ['from', { accountId, limit: 1, from: '2030-02-30T00:00:00.000Z' }],
    ['to', { accountId, limit: 1, from: '2030-01-02T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' }],
  ])('refuses a bad %s in an audit log query', (field, payload) => {
    expect(fieldOf(() => auditLogPayload(payload))).toBe(field);
  });

  it('bounds an export page at 500 events', () => {
    expect(fieldOf(() => auditEventsPayload({ accountId, limit: 501 }))).toBe('limit');
    expect(fieldOf(() => auditEventsPayload({ accountId, limit: 5, after: '3' }))).toBe('after');
  });
});

describe('a reply within its byte budget', () => {
  it('keeps the longest prefix that fits, and always the first item', () => {
    const items = ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)];
    expect(withinBudget(items, 30)).toEqual(items.slice(0, 2));
    expect(withinBudget(items, 5)).toEqual(items.slice(0, 1));
    expect(withinBudget([], 5)).toEqual([]);
  });
});
