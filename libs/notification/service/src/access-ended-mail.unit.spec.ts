import { reactionSpec, recorded } from '@accord/decider-spec';
import { directoryLookups, mailsFor, type MailFacts } from '@accord/notification-domain';
import { render } from './templates';

// INV-27, INV-28, INV-29: the e-mails of an access's life after its share.

const account = 'acc1';
const directory: MailFacts = {
  accountName: 'Acme',
  inviterEmail: 'olga@example.com',
  invitationRole: null,
  ownerEmails: [],
};
const given = reactionSpec(mailsFor);
const removed = (reason?: 'access_revoked' | 'access_expired') =>
  recorded('MemberRemoved', {
    accountId: account,
    userId: 'u-mike',
    email: 'mike@example.com',
    removedBy: 'u-root',
    ...(reason === undefined ? {} : { reason }),
  });

describe('the removal e-mail says why when the access ended', () => {
  it('removed because the access was revoked', () => {
    given(directory)
      .when(removed('access_revoked'))
      .then({
        mails: [
          {
            recipient: 'mike@example.com',
            kind: 'member_removed',
            context: { accountName: 'Acme', accessEnded: 'revoked' },
            linkNonce: null,
          },
        ],
        unaddressed: 0,
      });
    expect(render('member_removed', { accountName: 'Acme', accessEnded: 'revoked' }).text).toContain(
      'The access you joined through was revoked',
    );
  });

  it('removed because the access expired', () => {
    given(directory)
      .when(removed('access_expired'))
      .then({
        mails: [
          {
            recipient: 'mike@example.com',
            kind: 'member_removed',
            context: { accountName: 'Acme', accessEnded: 'expired' },
            linkNonce: null,
          },
        ],
        unaddressed: 0,
      });
    expect(render('member_removed', { accountName: 'Acme', accessEnded: 'expired' }).text).toContain('has expired');
  });

  it('removed by an owner: no cause named', () =>
    expect(render('member_removed', { accountName: 'Acme' }).text).not.toMatch(/revoked|expired/));
});

describe('recipients added to an access → each is invited with their own link, by whoever added them', () => {
  const added = recorded('AccessRecipientsAdded', {
    accessId: 'a1',
    accountId: account,
    role: 'accountant',
    recipients: [{ invitationId: 'i2', email: 'ann@example.com', link: { nonce: 'nonce-2', tokenHash: 'hash-2' } }],
    addedBy: 'u-olga',
    addedAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-26T10:00:00.000Z',
  });

  it('quotes the adder as the inviter', () =>
    expect(directoryLookups(added)).toEqual({ inviterId: 'u-olga', roleOfInvitation: null, owners: false }));

  it('mails the invitation with the access’s role and the new link', () =>
    given(directory)
      .when(added)
      .then({
        mails: [
          {
            recipient: 'ann@example.com',
            kind: 'invitation',
            context: {
              accountName: 'Acme',
              inviterEmail: 'olga@example.com',
              role: 'accountant',
              message: null,
              expiresAt: '2026-11-26T10:00:00.000Z',
            },
            linkNonce: 'nonce-2',
          },
        ],
        unaddressed: 0,
      }));
});
