import { DomainError } from '@accord/contracts';
import { requireEmail, requirePayload, requirePerson, requireShareShape, requireUuid } from './payload-shape';

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? { kind: error.kind, code: error.code, field: error.field } : error;
  }
  return 'accepted';
};
const share = {
  accountId: '6f1c1b0e-8a52-4d3e-9b59-0c6a8d0b2f11',
  name: 'Ops',
  type: 'delegate',
  role: 'administrator',
  scope: { type: 'global' },
  recipients: ['ann@example.com'],
};

describe('payload shapes: ids and e-mails from a payload are hostile (issue 8)', () => {
  it.each(['constructor', '__proto__', '', 'x'.repeat(36), "1' OR '1'='1", 42, null])(
    'the id %p is refused naming the field',
    (id) =>
      expect(refusal(() => requireUuid(id, 'invitationId'))).toEqual({
        kind: 'validation',
        code: 'request.invalid',
        field: 'invitationId',
      }),
  );

  it('a UUID passes', () => expect(requireUuid(share.accountId, 'accountId')).toBe(share.accountId));

  it.each(['no-at-sign', 'two@@example.com', 'a b@example.com', 'nul\u0000@example.com', `${'x'.repeat(250)}@e.io`, 7])(
    'the e-mail %p is refused',
    (email) =>
      expect(refusal(() => requireEmail(email, 'email'))).toEqual({
        kind: 'validation',
        code: 'request.invalid',
        field: 'email',
      }),
  );

  it('a person needs a user id, an e-mail and a verified flag', () => {
    expect(
      refusal(() => requirePerson({ userId: 'a/b', email: 'ann@example.com', emailVerified: true })),
    ).toMatchObject({ field: 'person.userId' });
    expect(refusal(() => requirePerson({ userId: 'auth0|65f0', email: 'ann', emailVerified: true }))).toMatchObject({
      field: 'person.email',
    });
    expect(
      refusal(() => requirePerson({ userId: 'auth0|65f0', email: 'ann@example.com', emailVerified: 'yes' })),
    ).toMatchObject({ field: 'person.emailVerified' });
    expect(refusal(() => requirePerson({ userId: 'auth0|65f0', email: 'ann@example.com', emailVerified: false }))).toBe(
      'accepted',
    );
  });

  it('a share names the bad field: account, scope billing account, recipient, role, type', () => {
    expect(refusal(() => requireShareShape({ ...share, accountId: 'constructor' }))).toMatchObject({
      field: 'accountId',
    });
    expect(
      refusal(() => requireShareShape({ ...share, scope: { type: 'restricted', billingAccountId: '__proto__' } })),
    ).toMatchObject({ field: 'scope.billingAccountId' });
    expect(refusal(() => requireShareShape({ ...share, scope: { type: 'everything' } }))).toMatchObject({
      field: 'scope.type',
    });
    expect(refusal(() => requireShareShape({ ...share, recipients: ['ann@example.com', 'nope'] }))).toMatchObject({
      field: 'recipients[1]',
    });
    expect(refusal(() => requireShareShape({ ...share, role: 'root' }))).toMatchObject({ field: 'role' });
    expect(refusal(() => requireShareShape({ ...share, type: 'god_mode' }))).toMatchObject({ field: 'type' });
    expect(refusal(() => requireShareShape({ ...share, name: { evil: true } }))).toMatchObject({ field: 'name' });
  });

  it('the scope is rebuilt from its checked fields: nothing else reaches the event', () =>
    expect(requireShareShape({ ...share, scope: { type: 'global', billingAccountId: 'smuggled', extra: 1 } })).toEqual({
      type: 'global',
    }));

  it('a payload that is not an object is refused', () => {
    for (const payload of [null, 'text', [1]])
      expect(refusal(() => requirePayload(payload))).toMatchObject({ field: 'payload' });
  });
});
