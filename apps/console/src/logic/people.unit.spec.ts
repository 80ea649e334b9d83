import {
  accessNameForUsers,
  parseEmailList,
  personName,
  personStatusLabel,
  roleLabel,
  roleOptions,
  scopeLabel,
  transferCandidates,
  type Invitee,
  type Member,
} from './people';

const member = (over: Partial<Member> = {}): Member => ({
  userId: 'u1',
  email: 'ann@example.com',
  role: 'administrator',
  status: 'active',
  isRootOwner: false,
  scope: { type: 'global' },
  joinedAt: '2030-01-01T00:00:00.000Z',
  displayName: null,
  permissions: [],
  mayCreateEnvironments: false,
  ...over,
});

const invitee: Invitee = {
  email: 'bob@example.com',
  role: 'accountant',
  scope: { type: 'global' },
  status: 'invited',
  invitationId: 'i1',
  expiresAt: '2030-01-04T00:00:00.000Z',
};

describe('the users list', () => {
  it('says "Awaiting confirmation" until an invitation is accepted, then "Attached"', () => {
    expect(personStatusLabel('invited')).toBe('Awaiting confirmation');
    expect(personStatusLabel('active')).toBe('Attached');
  });

  it('names built-in roles as people write them and keeps a custom role’s own name', () => {
    expect(roleLabel('read-only')).toBe('Read-only');
    expect(roleLabel('owner')).toBe('Owner');
    expect(roleLabel('dns-admin')).toBe('dns-admin');
  });

  it('offers the built-in roles, then the account’s custom roles, and the current role if neither has it', () => {
    expect(roleOptions([{ name: 'dns-admin' }]).map((o) => o.value)).toEqual([
      'owner',
      'administrator',
      'accountant',
      'read-only',
      'dns-admin',
    ]);
    expect(roleOptions([{ name: 'dns-admin' }])[4]).toEqual({ value: 'dns-admin', label: 'dns-admin (custom)' });
    expect(roleOptions([], 'gone-role').map((o) => o.value)).toContain('gone-role');
    expect(roleOptions([], 'owner')).toHaveLength(4);
  });

  it('shows the scope as Global or the billing account’s name', () => {
    const billing = [{ id: 'b1', name: 'EU billing' }];
    expect(scopeLabel({ type: 'global' }, billing)).toBe('Global');
    expect(scopeLabel({ type: 'restricted', billingAccountId: 'b1' }, billing)).toBe('EU billing');
    expect(scopeLabel({ type: 'restricted', billingAccountId: 'b2' }, billing)).toBe('One billing account');
  });

  it('reads e-mails separated by commas, semicolons, spaces or lines, once each in any case', () => {
    expect(parseEmailList('ann@example.com, bob@example.com\ncy@example.com;  dee@example.com ')).toEqual([
      'ann@example.com',
      'bob@example.com',
      'cy@example.com',
      'dee@example.com',
    ]);
    expect(parseEmailList('Ann <ann@example.com>, ANN@example.com\n\n')).toEqual(['ann@example.com']);
    expect(parseEmailList('ann@example.com bob@example.com')).toEqual(['ann@example.com', 'bob@example.com']);
    expect(parseEmailList('  ')).toEqual([]);
    // Not judged here: the API names the one that is wrong.
    expect(parseEmailList('not-an-email')).toEqual(['not-an-email']);
  });

  it('names the access "Add user" creates after its first e-mail, within the API’s 100 characters', () => {
    expect(accessNameForUsers(['ann@example.com'])).toBe('Users: ann@example.com');
    expect(accessNameForUsers(['ann@example.com', 'b@x.io', 'c@x.io'])).toBe('Users: ann@example.com and 2 more');
    expect(accessNameForUsers([`${'a'.repeat(120)}@example.com`])).toHaveLength(100);
  });

  it('hands the root only to another member, and names people by display name and e-mail', () => {
    const root = member({ userId: 'root', isRootOwner: true, role: 'owner' });
    const ann = member({ displayName: 'Ann' });
    expect(transferCandidates([root, ann, invitee])).toEqual([ann]);
    expect(personName(ann)).toBe('Ann (ann@example.com)');
    expect(personName(invitee)).toBe('bob@example.com');
  });
});
