import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { runSliceScenario, sessionToken } from '@accord/testing';
import { projectionRunnersOf, readModelTables, readModelsThatDifferFromTheirRebuild } from './testing/read-model-check';
import { useEmbeddedPlatform } from './testing/embedded-harness';

// Issue 8 rule 13: bad input is always a 4xx. Random and hostile bodies, path ids, query strings
// and headers go to EVERY route of the OpenAPI document, as an owner, a member, an API token, a
// stranger, an unverified and an impersonating session and nobody. Afterwards: no 5xx was
// answered, no refused request left an event behind (by its correlation id), /health is green,
// and every read model equals its rebuild from the store.

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 600);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);

interface Operation {
  readonly method: string;
  /** OpenAPI template, e.g. `/v1/accounts/{accountId}/members/{userId}`. */
  readonly path: string;
}

interface Sent {
  readonly operation: Operation;
  readonly url: string;
  readonly caller: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string;
  readonly body: string | undefined;
}

const HOSTILE_IDS = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'prototype',
  '..',
  '%2e%2e',
  '%00',
  '%0a',
  '%7f',
  'a'.repeat(300),
  'auth0%7C65f0c1',
  '%E2%80%AE',
  '00000000-0000-0000-0000-000000000000',
  'NaN',
  '-1',
  '1e309',
  '%20',
];

const controlChars = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 10 }), controlChars, fc.string({ maxLength: 10 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.constantFrom(
    'x'.repeat(5_000),
    '\u0000',
    'constructor',
    '__proto__',
    '<script>',
    "' OR 1=1 --",
    '\uD800',
    '𝔘𝔫𝔦',
    'a@b',
    ' ',
  ),
);
const deepJson = fc.integer({ min: 20, max: 3_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const deepObject = fc.integer({ min: 20, max: 3_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('fuzz: every route, every caller, hostile input (issue 8 rule 13)', () => {
  const e2e = useEmbeddedPlatform('fuzz');
  const { config } = e2e;

  it(`answers no 5xx, changes nothing when it refuses, and keeps read models equal to their rebuild (seed ${SEED})`, async () => {
    const base = await runSliceScenario(e2e.platform.url, config.jwtSecret);
    const billing = await e2e.call('POST', `/v1/accounts/${base.accountId}/billing-accounts`, {
      token: base.oliviaToken,
      body: { name: 'EU' },
    });
    const apiToken = await e2e.call('POST', `/v1/accounts/${base.accountId}/tokens`, {
      token: base.mikeToken,
      body: { name: 'fuzz' },
    });
    expect([billing.status, apiToken.status]).toEqual([201, 201]);
    const shared = await e2e.call('POST', `/v1/accounts/${base.accountId}/accesses`, {
      token: base.oliviaToken,
      body: {
        name: 'Pending',
        type: 'delegate',
        scope: { type: 'global' },
        role: 'accountant',
        recipients: ['pending@example.com'],
      },
    });
    const invitationId: string = shared.body.invitations[0].id;

    const impersonation = await new SignJWT({
      email: base.olivia.email,
      email_verified: true,
      act: { sub: 'fuzz-admin', platform_admin: true },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(base.olivia.userId)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(config.jwtSecret));
    const callers: Record<string, string | undefined> = {
      owner: base.oliviaToken,
      member: base.mikeToken,
      token: apiToken.body.token,
      stranger: await sessionToken(config.jwtSecret, { email: `stranger-${randomUUID().slice(0, 6)}@example.com` }),
      unverified: await sessionToken(config.jwtSecret, {
        email: base.mike.email,
        userId: base.mike.userId,
        emailVerified: false,
      }),
      impersonation,
      nobody: undefined,
      garbage: 'not-a-token',
    };
    const inbox = await e2e.call('GET', '/v1/me/notifications', { token: base.mikeToken });
    const notices: string[] = inbox.body.items.map((n: { id: string }) => n.id);
    expect(notices.length).toBeGreaterThan(0);
    const known: Record<string, string[]> = {
      notificationId: notices,
      accountId: [base.accountId],
      userId: [base.mike.userId, base.olivia.userId],
      invitationId: [invitationId],
      tokenId: [apiToken.body.id],
      token: ['inv_' + 'A'.repeat(43)],
    };
    const samples = sampleBodies(base.mike.userId, billing.body.id, base.accountId);

    const doc = await e2e.call('GET', '/docs-json');
    const operations: Operation[] = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(operations.length).toBeGreaterThan(20);

    const pathValue = (name: string) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(known[name] ?? [randomUUID()])) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
      );
    const body = (operation: Operation) =>
      fc.oneof(
        {
          weight: 3,
          arbitrary: mutated(samples[`${operation.method} ${operation.path}`] ?? {}).map((value) =>
            JSON.stringify(value),
          ),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }).map((value) => safeStringify(value)) },
        { weight: 1, arbitrary: fc.oneof(deepJson, deepObject) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '',
            '{',
            'null',
            '"x"',
            '[]',
            '{"__proto__":{"admin":true}}',
            '{"constructor":{"prototype":{"x":1}}}',
          ),
        },
      );
    const query = fc.oneof(
      { weight: 5, arbitrary: fc.constant('') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '?minPosition=-1',
          '?minPosition=abc',
          '?minPosition=1e3',
          '?minPosition=99999999999999999999',
          '?minPosition=0',
          '?minPosition=%00',
          '?x=1&x=2',
        ),
      },
    );
    const headers = fc.record({
      idempotencyKey: fc.option(fc.oneof(fc.uuid(), hostileString), { nil: undefined }),
      requestId: fc.uuid(),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        undefined,
      ),
    });

    const request = fc.constantFrom(...operations).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        caller: fc.constantFrom(...Object.keys(callers)),
        params: fc.record(Object.fromEntries(paramsOf(operation.path).map((name) => [name, pathValue(name)]))),
        body: operation.method === 'GET' ? fc.constant(undefined) : body(operation),
        query,
        headers,
      }),
    );

    const sent: Sent[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = paramsOf(r.operation.path).reduce(
          (p, name) => p.replace(`{${name}}`, (r.params as Record<string, string>)[name]!),
          r.operation.path,
        );
        const url = `${e2e.platform.url}${path}${r.query}`;
        const token = callers[r.caller];
        const init: RequestInit & { headers: Record<string, string> } = {
          method: r.operation.method,
          headers: { 'x-request-id': r.headers.requestId },
        };
        if (token) init.headers['authorization'] = `Bearer ${token}`;
        if (r.headers.idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(r.headers.idempotencyKey))
          init.headers['idempotency-key'] = r.headers.idempotencyKey;
        if (r.body !== undefined) {
          init.body = r.body;
          if (r.headers.contentType) init.headers['content-type'] = r.headers.contentType;
        }
        const response = await fetch(url, init);
        const text = await response.text();
        const code = parseCode(text);
        sent.push({
          operation: r.operation,
          url: path + r.query,
          caller: r.caller,
          status: response.status,
          code,
          requestId: r.headers.requestId,
          body: r.body?.slice(0, 200),
        });
        // A read-your-writes wait past the store head is the one honest 503 (fail closed: stale).
        const stale = response.status === 503 && code === 'read_model.stale' && r.query.includes('minPosition');
        if (response.status >= 500 && !stale) {
          throw new Error(
            `${r.operation.method} ${path}${r.query} as ${r.caller} → ${response.status} ${text.slice(0, 300)} (body ${r.body?.slice(0, 200)})`,
          );
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    // Reactions to accepted commands finish; then nothing stored may carry a refused request's id.
    await quiet(e2e.platform.store);
    const refused = new Set(sent.filter((s) => s.status >= 400).map((s) => s.requestId));
    // The one record a refused request may leave is the audit trail of an impersonated attempt:
    // every read under impersonation is recorded before it is answered, refused or not.
    const leaked = (await allEvents(e2e.platform.store)).filter(
      (event) => refused.has(event.correlationId) && event.type !== 'ImpersonatedReadRecorded',
    );
    expect(
      leaked.map((e) => `${e.type} from ${JSON.stringify(sent.find((s) => s.requestId === e.correlationId))}`),
    ).toEqual([]);

    const health = await e2e.call('GET', '/health');
    expect([health.status, health.body.status]).toEqual([200, 'ok']);

    const runners = projectionRunnersOf(e2e.platform.services);
    expect(runners.length).toBeGreaterThanOrEqual(4);
    const differences = await readModelsThatDifferFromTheirRebuild(
      e2e.platform.sql,
      runners,
      await readModelTables(e2e.platform.sql),
      () => e2e.platform.store.committedHeadPosition(),
    );
    expect(differences).toEqual([]);

    // The fuzz must have reached the handlers, not only the validation layer.
    const statuses = new Set(sent.map((s) => s.status));
    expect([...statuses].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(statuses.has(400)).toBe(true);
  }, 600_000);
});

function paramsOf(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** A valid body per route, for the mutations to start from (mutations reach deeper than junk does). */
function sampleBodies(
  userId: string,
  billingAccountId: string,
  accountId: string,
): Record<string, Record<string, unknown>> {
  return {
    'POST /v1/accounts': { name: 'Acme' },
    'POST /v1/accounts/{accountId}/accesses': {
      name: 'Team',
      type: 'delegate',
      scope: { type: 'restricted', billingAccountId },
      role: 'accountant',
      recipients: ['fuzz@example.com'],
      message: 'hi',
    },
    'PATCH /v1/accounts/{accountId}/members/{userId}': {
      role: 'accountant',
      permissions: ['vps:read'],
      scope: { type: 'global' },
      displayName: 'M',
      mayCreateEnvironments: true,
    },
    'POST /v1/accounts/{accountId}/ownership-transfer': { userId },
    'PUT /v1/accounts/{accountId}/display-name': { displayName: 'Mine' },
    'POST /v1/accounts/{accountId}/billing-accounts': { name: 'US' },
    'POST /v1/accounts/{accountId}/roles': { name: 'auditor', permissions: ['vps:read'] },
    'POST /v1/accounts/{accountId}/tokens': {
      name: 'ci',
      permissions: ['vps:read'],
      scope: { type: 'global' },
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
    'PUT /v1/accounts/{accountId}/token-policy': { maxLifetimeDays: 30 },
    'PUT /v1/accounts/{accountId}/invitation-settings': { expiryHours: 48 },
    'POST /v1/authz/check': { userId, accountId, permission: 'vps:read', billingAccountId },
    'POST /v1/invitations/accept-token': { token: 'inv_' + 'A'.repeat(43) },
    'POST /v1/dev/tokens': { email: 'dev@example.com', userId: 'auth0|dev', emailVerified: true },
    'POST /v1/me/notifications/{notificationId}/read': {},
  };
}

/** The sample with one field replaced by something hostile, removed, or an unknown one added. */
function mutated(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  const hostileValue = fc.oneof(
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostileString, { maxLength: 60 }),
    fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  );
  if (keys.length === 0) return fc.dictionary(hostileString, hostileValue, { maxKeys: 3 });
  return fc.oneof(
    fc.constant(sample),
    fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, value]) => ({ ...sample, [key]: value })),
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(sample).filter(([k]) => k !== key))),
    fc.tuple(hostileString, hostileValue).map(([key, value]) => ({ ...sample, [key]: value })),
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

function parseCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

async function allEvents(store: {
  readAll(after: number, limit: number): Promise<{ globalPosition: number; correlationId: string; type: string }[]>;
}) {
  const out: { globalPosition: number; correlationId: string; type: string }[] = [];
  for (let after = 0; ;) {
    const page = await store.readAll(after, 1_000);
    if (page.length === 0) return out;
    out.push(...page);
    after = page.at(-1)!.globalPosition;
  }
}

/** Waits until no new event has been stored for a moment (reactions and e-mails settled). */
async function quiet(store: { headPosition(): Promise<number> }): Promise<void> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const head = await store.headPosition();
    if (head === last) return;
    last = head;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
