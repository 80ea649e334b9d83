import { accessEndOf, accessStatusLabel, accessTitle, accessTypeLabel, recipientStatusLabel } from './accesses';

describe('shared accesses', () => {
  it('labels types and statuses', () => {
    expect(accessTypeLabel('delegate')).toBe('Delegate access');
    expect(accessTypeLabel('api_token')).toBe('API token');
    expect(['active', 'revoked', 'expired'].map(accessStatusLabel)).toEqual(['Active', 'Revoked', 'Expired']);
  });

  it('says each recipient’s status, and why an ended one ended', () => {
    expect(recipientStatusLabel({ status: 'pending' })).toBe('Pending');
    expect(recipientStatusLabel({ status: 'accepted' })).toBe('Accepted');
    expect(recipientStatusLabel({ status: 'ended', endedReason: 'left' })).toBe('Ended (left the account)');
    expect(recipientStatusLabel({ status: 'ended', endedReason: 'access_revoked' })).toBe('Ended (access revoked)');
    // A reason added to the API later is still shown.
    expect(recipientStatusLabel({ status: 'ended', endedReason: 'some_new_reason' })).toBe('Ended (some new reason)');
  });

  it('shows the name to its sharer only; anyone else sees who shared it', () => {
    const emailOf = (id: string) => (id === 'u1' ? 'olivia@example.com' : undefined);
    expect(accessTitle({ name: 'Finance team', sharedBy: 'u1' }, emailOf)).toBe('Finance team');
    expect(accessTitle({ name: null, sharedBy: 'u1' }, emailOf)).toBe('Shared by olivia@example.com');
    expect(accessTitle({ name: null, sharedBy: 'u9' }, emailOf)).toBe('Shared by another owner');
  });

  it('ends an access at the end of the chosen day, as an instant with a zone', () => {
    const iso = accessEndOf('2030-06-30')!;
    expect(iso).toMatch(/Z$/);
    const local = new Date(iso);
    expect([local.getFullYear(), local.getMonth(), local.getDate(), local.getHours()]).toEqual([2030, 5, 30, 23]);
    expect(accessEndOf('')).toBeUndefined();
  });
});
