import { ApiError } from '../api/problem';
import {
  formatWhen,
  grantSummary,
  invitationStatusLabel,
  linkNoticeOf,
  permissionsLabel,
  roleLabel,
  scopeLabel,
  shareNotice,
  splitInvitations,
  type MyInvitation,
} from './invitation-view';

const invitation = (over: Partial<MyInvitation> = {}): MyInvitation => ({
  id: 'i1',
  accountId: 'a1',
  accountName: 'Acme',
  inviterEmail: 'olivia@example.com',
  role: 'administrator',
  scope: { type: 'global' },
  permissions: [],
  mayCreateEnvironments: false,
  status: 'pending',
  message: null,
  expiresAt: '2030-01-04T10:00:00.000Z',
  ...over,
});

const problem = (status: number, code: string, detail = 'The API says so.') =>
  new ApiError({ status, title: 'Refused', detail, code });

describe('how the console words invitations', () => {
  it('the dashboard notice names the inviter, the account and the role', () => {
    expect(shareNotice(invitation())).toBe('olivia@example.com shared access to Acme with you (Administrator)');
    expect(shareNotice(invitation({ inviterEmail: null, accountName: '', role: 'billing-clerk' }))).toBe(
      'The account owner shared access to an account with you (billing-clerk)',
    );
  });

  it('the permissions an invitation grants: those chosen, or the role’s when none were', () => {
    expect(permissionsLabel(invitation())).toBe('Those of the role');
    expect(permissionsLabel(invitation({ permissions: ['vps:manage', 'dns:read'] }))).toBe('vps:manage, dns:read');
    expect(grantSummary(invitation())).toBe('');
    expect(grantSummary(invitation({ permissions: ['vps:manage'], mayCreateEnvironments: true }))).toBe(
      'only vps:manage; may create environments',
    );
  });

  it('roles, scopes and statuses read as words; a custom role keeps its own name', () => {
    expect(roleLabel('read-only')).toBe('Read-only');
    expect(roleLabel('ops')).toBe('ops');
    expect(scopeLabel({ type: 'global' })).toBe('All billing accounts');
    expect(scopeLabel({ type: 'restricted', billingAccountId: 'b1' })).toBe('One billing account only');
    expect(invitationStatusLabel('revoked')).toBe('Withdrawn by the owner');
    expect(invitationStatusLabel('pending')).toBe('Waiting for your answer');
  });

  it('pending invitations are apart from past ones, each in the order listed', () => {
    const list = [
      invitation({ id: 'a', status: 'accepted' }),
      invitation({ id: 'b' }),
      invitation({ id: 'c', status: 'expired' }),
      invitation({ id: 'd' }),
    ];
    const { pending, past } = splitInvitations(list);
    expect(pending.map((i) => i.id)).toEqual(['b', 'd']);
    expect(past.map((i) => i.id)).toEqual(['a', 'c']);
  });

  it('formats a date in the given locale and time zone, and leaves a bad one as it came', () => {
    expect(formatWhen('2030-01-04T10:00:00.000Z', 'en-GB', 'UTC')).toBe('4 Jan 2030, 10:00');
    expect(formatWhen('not a date')).toBe('not a date');
  });
});

describe('the informational page of an invitation link', () => {
  it('an unusable link (expired, resent, revoked, declined, used or unknown: the API answers one 404) names every cause and what to do', () => {
    const notice = linkNoticeOf(problem(404, 'invitation.link_invalid'), null);
    expect(notice.kind).toBe('unusable');
    expect(notice.title).toBe('This invitation link can no longer be used');
    const text = notice.paragraphs.join(' ');
    for (const cause of ['expired', 'replaced by a newer invitation', 'withdrawn', 'accepted or declined'])
      expect(text).toContain(cause);
    expect(text).toContain('send you a new invitation');
    expect(text).toContain('sign in');
    expect(notice.offerSignOut).toBe(false);
  });

  it('names the inviter when it is known', () => {
    const notice = linkNoticeOf(
      problem(409, 'invitation.expired', 'This invitation has expired; ask for a new one.'),
      'm@x.io',
      'olivia@example.com',
    );
    expect(notice.kind).toBe('unusable');
    expect(notice.paragraphs).toEqual([
      'This invitation has expired; ask for a new one.',
      'Ask olivia@example.com to send you a new invitation.',
    ]);
  });

  it('signed in with another address: says so plainly with the API’s message, and offers to sign out', () => {
    const other = linkNoticeOf(
      problem(403, 'invitation.other_email', 'This invitation was sent to another e-mail address.'),
      'mike@example.com',
    );
    expect(other.kind).toBe('other-email');
    expect(other.paragraphs[0]).toBe('This invitation was sent to another e-mail address.');
    expect(other.paragraphs[1]).toContain('You are signed in as mike@example.com');
    expect(other.offerSignOut).toBe(true);
    // Declining by id answers someone else's invitation like a missing one.
    expect(linkNoticeOf(problem(404, 'invitation.not_found'), 'mike@example.com').kind).toBe('other-email');
  });

  it('a closed account, an unverified address, no network and anything else each get their own words', () => {
    expect(linkNoticeOf(problem(410, 'account.closed'), null).kind).toBe('account-closed');
    expect(linkNoticeOf(problem(403, 'email.unverified'), 'm@x.io').kind).toBe('unverified');
    expect(linkNoticeOf(problem(0, 'network'), null).kind).toBe('offline');
    const other = linkNoticeOf(problem(429, 'rate_limit.accept_attempts', 'Too many attempts.'), null);
    expect(other).toMatchObject({ kind: 'failed', paragraphs: ['Too many attempts.'] });
    expect(linkNoticeOf(new Error('boom'), null).kind).toBe('failed');
  });
});
