import { reactionSpec, recorded } from '@accord/decider-spec';
import { directoryLookups, mailsFor, type MailFacts } from './mailer';

const account = 'acc1';
const directory: MailFacts = {
  accountName: 'Acme',
  inviterEmail: 'root@example.com',
  invitationRole: 'accountant',
  ownerEmails: ['olga@example.com', 'root@example.com'],
};
const given = reactionSpec(mailsFor);

const shared = (emails: readonly string[]) =>
  recorded('AccessShared', {
    accessId: 'a1',
    accountId: account,
    name: 'Finance team',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'accountant',
    recipients: emails.map((email, i) => ({
      invitationId: `i${i}`,
      email,
      link: { nonce: `nonce-${i}`, tokenHash: `hash-${i}` },
    })),
    message: 'Welcome aboard',
    sharedBy: 'u-root',
    sharedAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-26T10:00:00.000Z',
  });
const resent = (email: string) =>
  recorded('InvitationResent', {
    accessId: 'a1',
    accountId: account,
    invitationId: 'i0',
    email,
    link: { nonce: 'nonce-new', tokenHash: 'hash-new' },
    expiresAt: '2026-11-27T10:00:00.000Z',
    resentBy: 'u-olga',
  });
const removed = (email: string) =>
  recorded('MemberRemoved', { accountId: account, userId: 'u-mike', email, removedBy: 'u-root' });
const left = recorded('MemberLeft', { accountId: account, userId: 'u-mike', email: 'mike@example.com' });
const roleChanged = (email: string) =>
  recorded('RoleChanged', {
    accountId: account,
    userId: 'u-mike',
    email,
    from: 'accountant',
    to: 'administrator',
    changedBy: 'u-root',
  });

describe('access shared → each recipient is invited, with their own link', () => {
  const invitation = {
    accountName: 'Acme',
    inviterEmail: 'root@example.com',
    role: 'accountant',
    message: 'Welcome aboard',
    expiresAt: '2026-11-26T10:00:00.000Z',
  };

  it('one invitation per recipient, quoting the account, the sharer, the role, the message and the expiry', () =>
    given(directory)
      .when(shared(['mike@example.com', 'anna@example.com']))
      .then({
        mails: [
          { recipient: 'mike@example.com', kind: 'invitation', context: invitation, linkNonce: 'nonce-0' },
          { recipient: 'anna@example.com', kind: 'invitation', context: invitation, linkNonce: 'nonce-1' },
        ],
        unaddressed: 0,
      }));

  it('a sharer the directory does not know is quoted as nobody (the template says "the account owner")', () =>
    expect(
      mailsFor(shared(['mike@example.com']), { ...directory, inviterEmail: null }).mails[0]!.context.inviterEmail,
    ).toBeNull());

  it('a recipient without an address gets nothing and is counted; the others are still invited', () =>
    given(directory)
      .when(shared(['not-an-address', 'anna@example.com']))
      .then({
        mails: [{ recipient: 'anna@example.com', kind: 'invitation', context: invitation, linkNonce: 'nonce-1' }],
        unaddressed: 1,
      }));

  it('the directory is asked for the sharer', () =>
    expect(directoryLookups(shared(['mike@example.com']))).toEqual({
      inviterId: 'u-root',
      roleOfInvitation: null,
      owners: false,
    }));
});

describe('invitation resent → the recipient gets the new link', () => {
  it('quoting the account, the resender, the invitation role and the new expiry', () =>
    given(directory)
      .when(resent('mike@example.com'))
      .then({
        mails: [
          {
            recipient: 'mike@example.com',
            kind: 'invitation_resent',
            context: {
              accountName: 'Acme',
              inviterEmail: 'root@example.com',
              role: 'accountant',
              expiresAt: '2026-11-27T10:00:00.000Z',
            },
            linkNonce: 'nonce-new',
          },
        ],
        unaddressed: 0,
      }));

  it('no address: nothing to send', () => given(directory).when(resent('')).then({ mails: [], unaddressed: 1 }));

  it('the directory is asked for the resender and the invitation role', () =>
    expect(directoryLookups(resent('mike@example.com'))).toEqual({
      inviterId: 'u-olga',
      roleOfInvitation: 'i0',
      owners: false,
    }));
});

describe('member removed → the removed person is told', () => {
  it('one e-mail to the removed member, no link', () =>
    given(directory)
      .when(removed('mike@example.com'))
      .then({
        mails: [
          { recipient: 'mike@example.com', kind: 'member_removed', context: { accountName: 'Acme' }, linkNonce: null },
        ],
        unaddressed: 0,
      }));

  it('no address: nothing to send', () =>
    given(directory).when(removed('mike.example.com')).then({ mails: [], unaddressed: 1 }));

  it('removed because the account was closed: the e-mail says the account was closed (MEM-23)', () =>
    given(directory)
      .when({ ...removed('mike@example.com'), data: { ...removed('mike@example.com').data, reason: 'account_closed' } })
      .then({
        mails: [
          {
            recipient: 'mike@example.com',
            kind: 'member_removed',
            context: { accountName: 'Acme', accountClosed: true },
            linkNonce: null,
          },
        ],
        unaddressed: 0,
      }));
});

describe('member left → every owner is told', () => {
  const context = { accountName: 'Acme', memberEmail: 'mike@example.com' };

  it('one e-mail per owner, naming who left', () =>
    given(directory)
      .when(left)
      .then({
        mails: [
          { recipient: 'olga@example.com', kind: 'member_left', context, linkNonce: null },
          { recipient: 'root@example.com', kind: 'member_left', context, linkNonce: null },
        ],
        unaddressed: 0,
      }));

  it('the directory is asked for the owners (as of the event), and only then', () => {
    expect(directoryLookups(left)).toEqual({ inviterId: null, roleOfInvitation: null, owners: true });
    expect(directoryLookups(removed('mike@example.com')).owners).toBe(false);
  });
});

describe('role changed → the member is told the old and the new role', () => {
  it('one e-mail to the member', () =>
    given(directory)
      .when(roleChanged('mike@example.com'))
      .then({
        mails: [
          {
            recipient: 'mike@example.com',
            kind: 'role_changed',
            context: { accountName: 'Acme', previousRole: 'accountant', role: 'administrator' },
            linkNonce: null,
          },
        ],
        unaddressed: 0,
      }));

  it('no address: nothing to send', () => given(directory).when(roleChanged('')).then({ mails: [], unaddressed: 1 }));
});
