import { deciderSpec, reactionSpec, recorded } from '@accord/decider-spec';
import type { MembershipEvent } from '@accord/contracts';
import { accountDecider } from './account';
import { memberJoiner } from './member-joiner';

const account = 'acc1';
const accepted = recorded('InvitationAccepted', {
  accessId: 'a1',
  accountId: account,
  invitationId: 'i1',
  email: 'mike@example.com',
  userId: 'u-mike',
  role: 'accountant',
  scope: { type: 'restricted', billingAccountId: 'b1' },
  accessType: 'delegate',
});
const addMike = {
  type: 'AddMember',
  data: {
    accountId: account,
    userId: 'u-mike',
    email: 'mike@example.com',
    role: 'accountant',
    scope: { type: 'restricted', billingAccountId: 'b1' },
    accessId: 'a1',
    invitationId: 'i1',
  },
} as const;

describe('invitation accepted → the recipient becomes a member', () => {
  const given = reactionSpec((event: typeof accepted) => memberJoiner(event));

  it('asks to add the person who accepted, with the role and scope of the access, naming the access and invitation', () =>
    given(undefined).when(accepted).then(addMike));

  it('carries nothing else of the acceptance (the access type is not a member fact)', () =>
    expect(Object.keys(memberJoiner(accepted).data).sort()).toEqual([
      'accessId',
      'accountId',
      'email',
      'invitationId',
      'role',
      'scope',
      'userId',
    ]));

  describe('and the Account decider decides it', () => {
    const decide = deciderSpec(accountDecider);
    const created: MembershipEvent = {
      type: 'AccountCreated',
      data: { accountId: account, name: 'Acme', rootOwner: { userId: 'u-root', email: 'root@example.com' } },
    };
    const billing: MembershipEvent = {
      type: 'BillingAccountCreated',
      data: { accountId: account, billingAccountId: 'b1', name: 'EU', createdBy: 'u-root' },
    };

    it('the member joins', () =>
      decide([created, billing])
        .when(memberJoiner(accepted))
        .then([{ type: 'MemberJoined', data: addMike.data }]));

    it('a redelivered acceptance adds nobody twice', () =>
      decide([created, billing, { type: 'MemberJoined', data: addMike.data }])
        .when(memberJoiner(accepted))
        .thenNothing());
  });
});
