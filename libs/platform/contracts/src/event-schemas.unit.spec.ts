import { EVENT_EXAMPLES } from './event-examples';
import { EVENT_SCHEMAS, EventSchemaViolation, isEventSchemaViolation, validateEventData } from './event-schemas';
import { EVENT_CONTEXT, type AccordEventType } from './events';

const TYPES = Object.keys(EVENT_CONTEXT) as AccordEventType[];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const withData = (type: AccordEventType, change: (data: Record<string, unknown>) => void): unknown => {
  const data = clone(EVENT_EXAMPLES[type]) as unknown as Record<string, unknown>;
  change(data);
  return data;
};
const errorsOf = (type: string, data: unknown): readonly string[] => {
  const result = validateEventData(type, data);
  return result.ok ? [] : result.errors;
};

/** Every string leaf of a value, as a path of keys and the setter that replaces it. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((entry, index) => stringLeaves(entry, [...path, index]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, entry]) => stringLeaves(entry, [...path, key]));
  return [];
}
function setAt(root: unknown, path: readonly (string | number)[], change: (old: string) => unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  node[last] = change(node[last] as string);
}

describe('event schemas (issue 8 rule 2)', () => {
  it('has a schema for every event type, and nothing else', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual([...TYPES].sort());
    expect(Object.keys(EVENT_EXAMPLES).sort()).toEqual([...TYPES].sort());
  });

  it('declares every object strict (additionalProperties: false)', () => {
    const loose: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (s['type'] === 'object' && s['additionalProperties'] !== false) loose.push(path);
      for (const [key, child] of Object.entries(s)) {
        if (Array.isArray(child)) child.forEach((entry, i) => walk(entry, `${path}/${key}/${i}`));
        else if (child && typeof child === 'object') walk(child, `${path}/${key}`);
      }
    };
    for (const type of TYPES) walk(EVENT_SCHEMAS[type], type);
    expect(loose).toEqual([]);
  });

  it.each(TYPES)('accepts the valid example of %s', (type) => {
    expect(validateEventData(type, clone(EVENT_EXAMPLES[type]))).toEqual({ ok: true });
  });

  it('refuses an unknown event type, including prototype keys', () => {
    for (const type of ['SomethingHappened', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect(validateEventData(type, {})).toEqual({ ok: false, errors: ['type: unknown event type'] });
    }
  });

  it('refuses MemberRemoved without userId (DELETE …/members/constructor stored one)', () => {
    expect(
      errorsOf(
        'MemberRemoved',
        withData('MemberRemoved', (d) => delete d['userId']),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^\/userId: /)]));
    // What the decider produced from Object.prototype.constructor: every member field missing.
    expect(
      errorsOf('MemberRemoved', { accountId: EVENT_EXAMPLES.MemberRemoved.accountId, removedBy: 'auth0|x' }),
    ).not.toEqual([]);
  });

  it('refuses RoleChanged without userId or with a non-role name (PATCH …/members/__proto__)', () => {
    expect(
      errorsOf(
        'RoleChanged',
        withData('RoleChanged', (d) => delete d['userId']),
      ),
    ).not.toEqual([]);
    expect(
      errorsOf(
        'RoleChanged',
        withData('RoleChanged', (d) => (d['from'] = undefined)),
      ),
    ).not.toEqual([]);
    expect(
      errorsOf(
        'RoleChanged',
        withData('RoleChanged', (d) => (d['to'] = 'Owner!')),
      ),
    ).not.toEqual([]);
  });

  it.each(TYPES)('refuses %s with an extra property, a __proto__ key, or a missing required field', (type) => {
    expect(
      errorsOf(
        type,
        withData(type, (d) => (d['extra'] = 1)),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^\/extra: /)]));
    const polluted = JSON.parse(
      `{"__proto__": {"admin": true}, ${JSON.stringify(EVENT_EXAMPLES[type]).slice(1)}`,
    ) as unknown;
    expect(Object.hasOwn(polluted as object, '__proto__')).toBe(true);
    expect(errorsOf(type, polluted)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/__proto__: /)]));
    // INV-26, AUTHZ-16: what an access grants beside its role is optional (older events lack it).
    const granted = ['permissions', 'mayCreateEnvironments'];
    const optional =
      type === 'InvitationAccepted'
        ? ['accessType', ...granted]
        : type === 'AccessShared' || type === 'MemberJoined'
          ? granted
          : type === 'ApiTokenIssued'
            ? ['invitationId']
            : [];
    for (const key of Object.keys(EVENT_EXAMPLES[type]).filter((k) => !optional.includes(k))) {
      expect({
        key,
        errors: errorsOf(
          type,
          withData(type, (d) => delete d[key]),
        ),
      }).toEqual({ key, errors: expect.arrayContaining([expect.any(String)]) });
    }
  });

  it.each(TYPES)('refuses NUL and other C0 control characters in every string of %s', (type) => {
    const leaves = stringLeaves(EVENT_EXAMPLES[type]);
    expect(leaves.length).toBeGreaterThan(0);
    for (const leaf of leaves) {
      // A share's message is free text: line feeds and tabs are its only allowed controls.
      const controls =
        leaf.join('.') === 'message' ? ['\u0000', '\u001b', '\u001f'] : ['\u0000', '\n', '\u001b', '\u001f'];
      for (const control of controls) {
        const data = clone(EVENT_EXAMPLES[type]) as unknown;
        setAt(data, leaf, (old) => `${old.slice(0, 2)}${control}${old.slice(2)}`);
        expect({ leaf, control, ok: validateEventData(type, data).ok }).toEqual({ leaf, control, ok: false });
      }
    }
  });

  it("allows line feeds and tabs in a share's message, as the gateway does", () => {
    const data = withData('AccessShared', (d) => (d['message'] = 'Hi Mike,\n\twelcome.'));
    expect(validateEventData('AccessShared', data).ok).toBe(true);
  });

  it.each(TYPES)('refuses a 10 kB string and wrong types in every field of %s', (type) => {
    for (const leaf of stringLeaves(EVENT_EXAMPLES[type])) {
      const long = clone(EVENT_EXAMPLES[type]) as unknown;
      setAt(long, leaf, () => 'a'.repeat(10_000));
      expect({ leaf, ok: validateEventData(type, long).ok }).toEqual({ leaf, ok: false });
    }
    for (const key of Object.keys(EVENT_EXAMPLES[type])) {
      for (const wrong of [42, true, { nested: 'x' }, ['x'], 'not-what-it-should-be\u0000']) {
        const original = (EVENT_EXAMPLES[type] as unknown as Record<string, unknown>)[key];
        if (typeof wrong === typeof original && !Array.isArray(original) && typeof wrong !== 'string') continue;
        expect({
          key,
          wrong,
          ok: validateEventData(
            type,
            withData(type, (d) => (d[key] = wrong)),
          ).ok,
        }).toEqual({ key, wrong, ok: false });
      }
    }
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, undefined, 'x', 1, [], [EVENT_EXAMPLES.MemberLeft]])
      expect(validateEventData('MemberLeft', data).ok).toBe(false);
  });

  it('checks ids, user ids, e-mails, dates, hashes, roles, scope and limits', () => {
    const bad: [AccordEventType, (d: Record<string, unknown>) => void][] = [
      ['MemberLeft', (d) => (d['accountId'] = 'acc-1')],
      ['MemberLeft', (d) => (d['userId'] = 'a/b')],
      ['MemberLeft', (d) => (d['userId'] = 'has space')],
      ['MemberLeft', (d) => (d['userId'] = '')],
      ['MemberLeft', (d) => (d['userId'] = 'x'.repeat(256))],
      ['MemberLeft', (d) => (d['email'] = 'no-at-sign')],
      ['MemberLeft', (d) => (d['email'] = `${'a'.repeat(250)}@x.io`)],
      ['MemberJoined', (d) => (d['role'] = 'superuser')],
      ['MemberJoined', (d) => (d['scope'] = { type: 'restricted' })],
      [
        'MemberJoined',
        (d) => (d['scope'] = { type: 'global', billingAccountId: EVENT_EXAMPLES.MemberJoined.accountId }),
      ],
      ['MemberJoined', (d) => (d['scope'] = { type: 'everything' })],
      ['RoleChanged', (d) => (d['to'] = `a${'b'.repeat(100)}`)],
      ['AccountCreated', (d) => (d['name'] = '')],
      ['AccountCreated', (d) => (d['name'] = 'n'.repeat(101))],
      ['AccountCreated', (d) => (d['rootOwner'] = { userId: 'auth0|x' })],
      ['AccessShared', (d) => (d['message'] = 'm'.repeat(1001))],
      ['AccessShared', (d) => (d['recipients'] = [])],
      ['AccessShared', (d) => (d['expiresAt'] = 'next tuesday')],
      ['AccessShared', (d) => (d['expiresAt'] = '2025-02-30T10:00:00Z')],
      ['ApiTokenIssued', (d) => (d['tokenHash'] = 'ABC')],
      ['ApiTokenIssued', (d) => (d['prefix'] = 'acc_7Gx2secret')],
      ['ApiTokenIssued', (d) => (d['permissions'] = ['servers read'])],
      ['ApiTokenIssued', (d) => (d['invitationId'] = 'not-a-uuid')],
      // A rotation records the new secret's hash and short prefix, never more of the secret.
      ['ApiTokenRotated', (d) => (d['prefix'] = 'acc_7Gx2secret')],
      ['ApiTokenRotated', (d) => (d['tokenHash'] = 'ABC')],
      ['ApiTokenRotated', (d) => (d['graceEndsAt'] = 'in two hours')],
      ['InvitationSettingsChanged', (d) => (d['expiryHours'] = 721)],
      ['InvitationSettingsChanged', (d) => (d['expiryHours'] = 1.5)],
      ['TokenPolicyChanged', (d) => (d['maxLifetimeDays'] = 0)],
      ['InvitationRevoked', (d) => (d['reason'] = 'because')],
      ['NotificationSent', (d) => (d['attempt'] = 0)],
      ['MemberPermissionsChanged', (d) => (d['permissions'] = Array.from({ length: 1001 }, () => 'servers:read'))],
    ];
    for (const [type, change] of bad) {
      const data = withData(type, change);
      expect({ type, data, ok: validateEventData(type, data).ok }).toEqual({ type, data, ok: false });
    }
    const good: [AccordEventType, (d: Record<string, unknown>) => void][] = [
      ['InvitationAccepted', (d) => delete d['accessType']],
      ['ApiTokenIssued', (d) => (d['invitationId'] = EVENT_EXAMPLES.MemberJoined.invitationId)],
      ['ApiTokenIssued', (d) => Object.assign(d, { permissions: null, scope: null, expiresAt: null })],
      ['ApiTokenIssued', (d) => (d['expiresAt'] = '2030-01-01T00:00:00+02:00')],
      ['ApiTokenRevoked', (d) => (d['reason'] = 'replaced')],
      ['InvitationRevoked', (d) => (d['reason'] = 'inviter_lost_rights')],
      ['MemberLeft', (d) => (d['userId'] = '3f1e2d4c-5b6a-4789-8abc-def012345678')],
      ['MemberDisplayNameChanged', (d) => (d['displayName'] = null)],
      ['AccessShared', (d) => (d['message'] = null)],
      ['TokenPolicyChanged', (d) => (d['maxLifetimeDays'] = null)],
      ['ImpersonatedReadRecorded', (d) => (d['accountId'] = null)],
    ];
    for (const [type, change] of good) {
      const data = withData(type, change);
      expect({ type, data, result: validateEventData(type, data) }).toEqual({ type, data, result: { ok: true } });
    }
  });

  it('names paths and rules in its errors, never the values', () => {
    const secret = 'olivia.secret@example.com';
    const data = withData('MemberRemoved', (d) => {
      delete d['userId'];
      d['email'] = `${secret}\u0000`;
      d['removedBy'] = `${secret} x`;
      d['notes'] = secret;
    });
    const errors = errorsOf('MemberRemoved', data);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/userId: /),
        expect.stringMatching(/^\/email: /),
        expect.stringMatching(/^\/notes: /),
      ]),
    );
    expect(errors.join('\n')).not.toContain('olivia');
    const violation = new EventSchemaViolation('MemberRemoved', errors, 'ev-1');
    expect(violation.message).toContain('MemberRemoved');
    expect(violation.message).not.toContain('olivia');
    expect(isEventSchemaViolation(violation)).toBe(true);
    expect(isEventSchemaViolation(new Error('x'))).toBe(false);
  });
});
