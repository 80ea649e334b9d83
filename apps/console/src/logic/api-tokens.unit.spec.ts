import {
  defaultExpiry,
  expiresAtFor,
  expiryOptions,
  formatInstant,
  heldPermissions,
  permissionsLabel,
  permissionsToSend,
  tokenStatus,
} from './api-tokens';

const now = new Date('2030-01-01T12:00:00.000Z');

describe('API token expiry', () => {
  it('offers every length and "never" without a token policy', () =>
    expect(expiryOptions(null).map((o) => o.value)).toEqual(['7', '30', '90', '365', 'custom', 'never']));

  it('leaves out what the policy would refuse', () => {
    expect(expiryOptions(30).map((o) => o.value)).toEqual(['7', '30', 'custom']);
    expect(expiryOptions(1).map((o) => o.value)).toEqual(['custom']);
  });

  it('starts at 30 days, or the longest the policy allows', () => {
    expect(defaultExpiry(null)).toBe('30');
    expect(defaultExpiry(10)).toBe('7');
    expect(defaultExpiry(3)).toBe('custom');
  });

  it.each([
    ['7', '2030-01-08T12:00:00.000Z'],
    ['30', '2030-01-31T12:00:00.000Z'],
    ['90', '2030-04-01T12:00:00.000Z'],
    ['365', '2031-01-01T12:00:00.000Z'],
  ] as const)('%s days from now is %s', (choice, iso) => expect(expiresAtFor(choice, now)).toBe(iso));

  it('"never" sends no expiresAt', () => expect(expiresAtFor('never', now)).toBeUndefined());

  it('a chosen date lasts to the end of that day (UTC)', () =>
    expect(expiresAtFor('custom', now, '2030-02-28')).toBe('2030-02-28T23:59:59.000Z'));

  it.each(['', '2030-02-30', '2030-13-01', '28.02.2030'])('refuses the date %p before asking the API', (date) =>
    expect(expiresAtFor('custom', now, date)).toBeNull(),
  );
});

describe('the permissions a token may ask for', () => {
  it('are what the person holds: managed and read sections, the user list, and grants one by one', () =>
    expect(
      heldPermissions({
        role: 'accountant',
        sections: { billing: 'management', vps: 'read only', dns: 'none' },
        granted: ['vps:read', 'storage:get:bucket'],
      }),
    ).toEqual(['billing:manage', 'storage:get:bucket', 'users:read', 'vps:read']));

  it('an owner manages users', () =>
    expect(heldPermissions({ role: 'owner', sections: { vps: 'management' } })).toEqual([
      'users:manage',
      'vps:manage',
    ]));

  it('"all of mine" sends none (the token follows its user); otherwise ticked and typed, once each', () => {
    expect(permissionsToSend('all', ['vps:read'], 'x')).toBeUndefined();
    expect(permissionsToSend('some', ['vps:read'], ' dns:read, vps:read  storage:get:bucket ')).toEqual([
      'vps:read',
      'dns:read',
      'storage:get:bucket',
    ]);
    expect(permissionsToSend('some', [], '')).toEqual([]);
  });

  it('labels a token’s permissions', () => {
    expect(permissionsLabel(null)).toBe('Same as its user');
    expect(permissionsLabel([])).toBe('None');
    expect(permissionsLabel(['a:read', 'b:manage'])).toBe('a:read, b:manage');
  });
});

describe('a token’s status', () => {
  it.each([
    [{ revoked: true, expiresAt: null }, 'Revoked'],
    [{ revoked: true, expiresAt: '2029-01-01T00:00:00Z' }, 'Revoked'],
    [{ revoked: false, expiresAt: '2030-01-01T12:00:00Z' }, 'Expired'],
    [{ revoked: false, expiresAt: '2030-01-02T00:00:00Z' }, 'Active'],
    [{ revoked: false, expiresAt: null }, 'Active'],
  ])('%o is %s', (token, status) => expect(tokenStatus(token, now)).toBe(status));

  it('shows instants in UTC to the minute', () => {
    expect(formatInstant('2030-01-02T03:04:05.678Z')).toBe('2030-01-02 03:04 UTC');
    expect(formatInstant(null, 'Never')).toBe('Never');
  });
});
