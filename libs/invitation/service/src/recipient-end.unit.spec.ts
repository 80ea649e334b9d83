import { recorded } from '@accord/decider-spec';
import { recipientEndReason } from './recipient-end';

const member = { accountId: 'acc1', userId: 'u-mike', email: 'mike@example.com' };
const removedBy = (extra: Record<string, unknown> = {}) => {
  const data = { ...member, removedBy: 'u-root', ...extra };
  return recorded('MemberRemoved', data);
};

describe('why a recipient’s accepted invitation ended (INV-24)', () => {
  it('given a member who joined through it, when they leave, then it ended because they left', () =>
    expect(recipientEndReason(recorded('MemberLeft', member))).toBe('left'));

  it('given a member who joined through it, when an owner removes them, then it ended because they were removed', () =>
    expect(recipientEndReason(removedBy())).toBe('removed'));

  it('when the removal names the access revoked as its cause, then it ended because the access was revoked', () =>
    expect(recipientEndReason(removedBy({ reason: 'access_revoked' }))).toBe('access_revoked'));

  it('when the removal names the access’s time running out, then it ended because it expired', () =>
    expect(recipientEndReason(removedBy({ reason: 'access_expired' }))).toBe('expired'));

  it('when the removal names the account closed as its cause, then it ended because the account was closed', () =>
    expect(recipientEndReason(removedBy({ reason: 'account_closed' }))).toBe('account_closed'));

  it('when the removal names a cause this version does not know, then it reads as removed', () =>
    expect(recipientEndReason(removedBy({ reason: 'something_new' }))).toBe('removed'));
});
