import { randomUUID } from 'node:crypto';
import { ok, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body';

// Rule 13 of issue 8 (input part): bad input is always a 4xx, naming what to fix, and reaches no service.
describe('hostile input over HTTP (rule 13)', () => {
  let gateway: Harness;
  const olivia = person({ email: 'olivia@example.com' });
  let token: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    gateway = await startGateway();
    token = await tokenFor(olivia);
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    gateway.client.reset();
    gateway.client.on(subjects.membership.createAccount, ok({ id: randomUUID(), name: 'Acme', position: 1 }));
  });

  const post = (url: string, payload: string | object) =>
    gateway.request({
      method: 'POST',
      url,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const nested = (depth: number) => `{"name":${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}}`;

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels: 400 request.too_deep, not a stack overflow`, async () => {
    for (const body of [
      nested(MAX_JSON_DEPTH + 1),
      '['.repeat(30_000) + ']'.repeat(30_000),
      '{"a":'.repeat(6_000) + '1' + '}'.repeat(6_000),
    ]) {
      const res = await post('/v1/accounts', body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.too_deep', field: 'body' });
    }
    expect(gateway.client.sent).toHaveLength(0);
  });

  it(`lets ${MAX_JSON_DEPTH} levels through to validation (a plain 400 naming the field)`, async () => {
    const res = await post('/v1/accounts', nested(MAX_JSON_DEPTH));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', field: 'name' });
  });

  it('counts depth outside strings only', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[[[{{{{{{' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: '\\"[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds('[[[]]]', 2)).toBe(true);
  });

  it.each([
    ['NUL', '\u0000'],
    ['a C0 control', '\u001b[31m'],
    ['DEL', '\u007f'],
    ['a line feed', 'a\nb'],
    ['a lone surrogate', '\ud800'],
  ])('refuses %s in a string of the body: 400 naming the field, nothing sent', async (_case, text) => {
    const res = await post('/v1/accounts', { name: `Acme${text}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid_characters', field: 'name' });
    expect(gateway.client.sent).toHaveLength(0);
  });

  it('names the path of a nested string (recipients[2], scope.type) and of a property name', async () => {
    const share = (body: object) => post(`/v1/accounts/${accountId}/accesses`, body);
    const base = {
      name: 'x',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'administrator',
      recipients: ['a@example.com', 'b@example.com', 'c@example.com'],
    };
    expect(
      (await share({ ...base, recipients: ['a@example.com', 'b@example.com', 'c\u0000@example.com'] })).json(),
    ).toMatchObject({ field: 'recipients[2]' });
    expect((await share({ ...base, scope: { type: 'global\u0000' } })).json()).toMatchObject({ field: 'scope.type' });
    const key = await share({ ...base, scope: { type: 'global', 'x\u0000': 1 } });
    expect(key.statusCode).toBe(400);
    expect(key.json().field).toBe('scope');
    expect(key.body).not.toContain('\\u0000');
    expect(gateway.client.sent).toHaveLength(0);
  });

  it('allows line feeds and tabs in the share message only, never NUL', async () => {
    const base = {
      name: 'x',
      type: 'delegate',
      scope: { type: 'global' },
      role: 'administrator',
      recipients: ['a@example.com'],
    };
    const multiline = await post(`/v1/accounts/${accountId}/accesses`, { ...base, message: 'Hi,\n\tjoin us' });
    expect(multiline.json().code).not.toBe('request.invalid_characters');
    const nul = await post(`/v1/accounts/${accountId}/accesses`, { ...base, message: 'Hi\u0000' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: 'request.invalid_characters', field: 'message' });
  });

  it('refuses control characters in path parameters, naming them', async () => {
    const res = await gateway.request({
      method: 'DELETE',
      url: `/v1/accounts/${accountId}/members/abc%00def`,
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'userId' });
    expect(gateway.client.sent).toHaveLength(0);
  });

  it.each([
    ['not a number', 'minPosition=abc', 'minPosition'],
    ['negative', 'minPosition=-1', 'minPosition'],
    ['given twice', 'minPosition=1&minPosition=2', 'minPosition'],
    ['with NUL', 'minPosition=1%00', 'minPosition'],
    ['unknown', 'minPositon=1', 'minPositon'],
    ['unknown with a hostile name', 'a%00b=1', 'query'],
  ])('refuses a query parameter that is %s: 400 naming it', async (_case, query, field) => {
    gateway.client.on(subjects.membership.accountsOfUser, ok([]));
    const res = await gateway.request({ method: 'GET', url: `/v1/accounts?${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });

  it('refuses unknown body properties, also nested ones', async () => {
    expect((await post('/v1/accounts', { name: 'Acme', owner: 'someone-else' })).statusCode).toBe(400);
    const nestedExtra = await post(`/v1/accounts/${accountId}/accesses`, {
      name: 'x',
      type: 'delegate',
      scope: { type: 'global', extra: 1 },
      role: 'administrator',
      recipients: ['a@example.com'],
    });
    expect(nestedExtra.statusCode).toBe(400);
    expect(gateway.client.sent).toHaveLength(0);
  });

  // class-transformer took a nested "constructor": "x" for the object's class and threw: a 500.
  it.each([
    ['a nested constructor key', '{"name":{"a":"x","constructor":"constructor"}}', 'name.constructor'],
    ['a constructor key in an array', '{"name":[{"constructor":1}]}', 'name[0].constructor'],
    ['a top-level prototype key', '{"name":"Acme","prototype":{}}', 'prototype'],
    // …and dropped "toString" without a word where any other unknown field is a 400.
    ['a toString key', '{"name":"Acme","toString":"x"}', 'toString'],
    ['a nested hasOwnProperty key', '{"name":{"hasOwnProperty":1}}', 'name.hasOwnProperty'],
  ])('refuses %s with a 400 naming it, not a 500', async (_, payload, field) => {
    const res = await post('/v1/accounts', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field, errors: [{ field, message: `property ${field} is not allowed` }] });
    expect(gateway.client.sent).toHaveLength(0);
  });

  it('never echoes a hostile x-request-id: a fresh id replaces it', async () => {
    const res = await gateway
      .request({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc\u0001 injected' } })
      .catch(() => undefined);
    if (res) expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const long = await gateway.request({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'x'.repeat(10_000) },
    });
    expect(long.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
