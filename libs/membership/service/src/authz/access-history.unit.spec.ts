import { DomainError } from '@accord/contracts';
import { accessHistoryPayload } from './access-history.message-controller';

// The access-history question arrives over NATS: every field is checked before the store is read.

const ACCOUNT = '6F1C7A52-0C8E-4A4E-9A57-1F0B7F0F0A01';
const valid = { accountId: ACCOUNT, userId: 'auth0|mike', permission: 'vps:manage', at: '2030-01-01T00:00:00Z' };

function refusal(payload: unknown): { kind: string; code: string; field?: string } {
  try {
    accessHistoryPayload(payload);
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code, field: error.field };
    throw error;
  }
  throw new Error('accepted');
}

describe('access-history payload', () => {
  it('keeps the checked fields only, with the account id in lower case', () => {
    expect(accessHistoryPayload({ ...valid, billingAccountId: ACCOUNT, extra: 'x' })).toEqual({
      ...valid,
      accountId: ACCOUNT.toLowerCase(),
      billingAccountId: ACCOUNT,
    });
  });

  it.each([
    ['no payload', undefined, { kind: 'validation', code: 'account.id_invalid', field: 'accountId' }],
    [
      'an account id that is no UUID',
      { ...valid, accountId: '../x' },
      { kind: 'not_found', code: 'account.not_found' },
    ],
    [
      'a user id with a slash',
      { ...valid, userId: 'a/b' },
      { kind: 'validation', code: 'user.id_invalid', field: 'userId' },
    ],
    [
      'an empty permission',
      { ...valid, permission: '' },
      { kind: 'validation', code: 'permission.invalid', field: 'permission' },
    ],
    [
      'a long permission',
      { ...valid, permission: 'x'.repeat(201) },
      { kind: 'validation', code: 'permission.invalid', field: 'permission' },
    ],
    ['no at', { ...valid, at: undefined }, { kind: 'validation', code: 'at.invalid', field: 'at' }],
    [
      'an at without a zone',
      { ...valid, at: '2030-01-01T00:00:00' },
      { kind: 'validation', code: 'at.invalid', field: 'at' },
    ],
    ['an at as a number', { ...valid, at: 1_893_456_000_000 }, { kind: 'validation', code: 'at.invalid', field: 'at' }],
    [
      'a billing account id that is no UUID',
      { ...valid, billingAccountId: 'b1' },
      { kind: 'validation', code: 'billing_account.id_invalid', field: 'billingAccountId' },
    ],
  ])('refuses %s', (_name, payload, expected) => {
    expect(refusal(payload)).toMatchObject(expected);
  });
});
