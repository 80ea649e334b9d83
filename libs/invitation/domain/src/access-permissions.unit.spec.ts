import type { GrantCheck, InvitationEvent, InvitationLink, Person } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { accessDecider, type AccessCommand, type ShareAccess } from './access';

// INV-26 (seed 002: the invitation carries permission scopes) and AUTHZ-16 (seed 001: "Allow user
// to create new environments"): what a share grants beside its role, and what the member joins with.

const given = deciderSpec(accessDecider);
const now = '2026-11-22T10:00:00.000Z';
const in72h = '2026-11-25T10:00:00.000Z';
const link: InvitationLink = { nonce: 'nonce-1', tokenHash: 'hash-1' };
const mike: Person = { userId: 'u-mike', email: 'mike@example.com', emailVerified: true };
const owners: ReadonlySet<string> = new Set(['u-owner']);

/** The membership service's answer for an owner asking to grant `account-api:query:*` and `servers:read`. */
const heldGrant = (permissions: string[]): GrantCheck => ({ ok: true, permissions, held: permissions.map(() => true) });

const share = (over: Partial<ShareAccess['data']> = {}): AccessCommand => ({
  type: 'ShareAccess',
  data: {
    accessId: 'a1',
    accountId: 'acc1',
    name: 'SBS readers',
    accessType: 'delegate',
    scope: { type: 'global' },
    role: 'read-only',
    recipients: [{ invitationId: 'i1', email: 'mike@example.com', link }],
    message: null,
    sharedBy: 'u-owner',
    sharer: { member: true, owner: true },
    billingAccountIds: [],
    memberEmails: [],
    dailyLimit: 500,
    now,
    ...over,
  },
});

const shared = (extra: { permissions?: string[]; mayCreateEnvironments?: true } = {}): InvitationEvent => ({
  type: 'AccessShared',
  data: {
    accessId: 'a1',
    accountId: 'acc1',
    name: 'SBS readers',
    type: 'delegate',
    scope: { type: 'global' },
    role: 'read-only',
    recipients: [{ invitationId: 'i1', email: 'mike@example.com', link }],
    message: null,
    sharedBy: 'u-owner',
    sharedAt: now,
    expiresAt: in72h,
    ...extra,
  },
});

const accept: AccessCommand = { type: 'AcceptInvitation', data: { invitationId: 'i1', person: mike, owners, now } };

const accepted = (extra: { permissions?: string[]; mayCreateEnvironments?: true } = {}): InvitationEvent => ({
  type: 'InvitationAccepted',
  data: {
    accessId: 'a1',
    accountId: 'acc1',
    invitationId: 'i1',
    email: 'mike@example.com',
    userId: 'u-mike',
    role: 'read-only',
    scope: { type: 'global' },
    accessType: 'delegate',
    ...extra,
  },
});

describe('permissions chosen at invitation (INV-26, seed 002 "Under Scope, enter the permissions")', () => {
  it('a share keeps the expanded permissions the membership service checked', () =>
    given([])
      .when(share({ grant: heldGrant(['account-api:query:*', 'servers:read']) }))
      .then([shared({ permissions: ['account-api:query:*', 'servers:read'] })]));

  it('the recipient accepts with exactly the access’s permissions', () =>
    given([shared({ permissions: ['account-api:query:*'] })])
      .when(accept)
      .then([accepted({ permissions: ['account-api:query:*'] })]));

  it('a share granting nothing beside its role reads as before (no permissions field)', () =>
    given([])
      .when(share({ grant: heldGrant([]) }))
      .then([shared()]));

  it('an access without permissions is accepted without them', () => given([shared()]).when(accept).then([accepted()]));

  it('a permission no grant may give is refused, naming its index (as PATCH of a member)', () =>
    given([])
      .when(share({ grant: { ok: false, index: 1, reason: 'users is available to account owners only' } }))
      .thenThrows('validation', 'permission.not_grantable'));

  it('a permission the sharer does not hold is refused: never more than the sharer can grant', () =>
    given([])
      .when(share({ grant: { ok: true, permissions: ['servers:read', 'vps:manage'], held: [true, false] } }))
      .thenThrows('forbidden', 'permission.beyond_sharer'));

  it('a share of the owner role takes no permissions (owners hold everything)', () =>
    given([])
      .when(share({ role: 'owner', grant: heldGrant(['servers:read']) }))
      .thenThrows('validation', 'access.owner_permissions'));

  it('a non-owner still cannot share, permissions or not', () =>
    given([])
      .when(share({ sharer: { member: true, owner: false }, grant: heldGrant(['servers:read']) }))
      .thenThrows('forbidden', 'users.owner_only'));
});

describe('"Allow user to create new environments" at invitation (AUTHZ-16, seed 001)', () => {
  it('a share may let its recipients create environments', () =>
    given([])
      .when(share({ mayCreateEnvironments: true }))
      .then([shared({ mayCreateEnvironments: true })]));

  it('the recipient joins allowed to create environments', () =>
    given([shared({ mayCreateEnvironments: true })])
      .when(accept)
      .then([accepted({ mayCreateEnvironments: true })]));

  it('false is the default and is not stored', () =>
    given([])
      .when(share({ mayCreateEnvironments: false }))
      .then([shared()]));

  it('is moot for the owner role (owners may always), so not stored', () => {
    const events = accessDecider.decide(
      share({ role: 'owner', mayCreateEnvironments: true }),
      accessDecider.initialState(),
    );
    expect(events[0]!.type === 'AccessShared' && events[0]!.data.mayCreateEnvironments).toBeUndefined();
  });
});
