import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startGateway, type Harness } from '../testing/gateway-harness';

interface LintProblem {
  readonly severity: 'error' | 'warn';
  readonly ruleId: string;
  readonly message: string;
  readonly where: string;
}

interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly { readonly in: string }[];
  readonly requestBody?: unknown;
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, unknown>> }>>;
}

interface Document {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly securitySchemes: Readonly<Record<string, unknown>> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMMANDS = new Set(['post', 'put', 'patch', 'delete']);

/** Redocly's `recommended` ruleset over the document (Node runs it: the linter is ESM-only). */
async function lint(document: Document): Promise<LintProblem[]> {
  const run = promisify(execFile)(process.execPath, [join(__dirname, 'redocly-lint.mjs')], {
    maxBuffer: 16 * 1024 * 1024,
  });
  run.child.stdin?.end(JSON.stringify(document));
  const { stdout } = await run;
  return JSON.parse(stdout) as LintProblem[];
}

function operationsOf(
  document: Document,
): { readonly key: string; readonly method: string; readonly path: string; readonly operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, operation })),
  );
}

/** Each profile's document: the services profile has no dev tokens route, the embedded one does. */
describe.each([
  ['services profile', false],
  ['embedded profile (dev tokens)', true],
])('The OpenAPI document of the %s', (_profile, devTokens) => {
  let gateway: Harness;
  let document: Document;
  beforeAll(async () => {
    gateway = await startGateway({ devTokens });
    document = (await gateway.request({ method: 'GET', url: '/docs-json' })).json();
  });
  afterAll(() => gateway.close());

  it('is OpenAPI 3.1 and passes Redocly’s recommended ruleset without an error', async () => {
    expect(document.openapi).toBe('3.1.0');
    const errors = (await lint(document)).filter((problem) => problem.severity === 'error');
    // Printed in full so a failure says what to fix.
    expect(errors.map((e) => `${e.ruleId}: ${e.message} at ${e.where}`)).toEqual([]);
  });

  it('names every operation with a summary and a unique operationId of its own', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(30);
    for (const { key, operation } of operations) {
      expect({ key, summary: operation.summary?.trim() || undefined }).toEqual({ key, summary: expect.any(String) });
      // Not the generated `XController_method`: a name a client's generated code can keep.
      expect({ key, operationId: operation.operationId }).toEqual({
        key,
        operationId: expect.stringMatching(/^[a-z][A-Za-z]+$/),
      });
    }
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says which token each operation takes, and which need none', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiToken', 'bearer']);
    const open = operationsOf(document)
      .filter(({ operation }) => operation.security?.length === 0)
      .map(({ key }) => key)
      .sort();
    expect(open).toEqual(
      [
        'GET /',
        'GET /health',
        'GET /v1/invitations/by-token/{token}',
        ...(devTokens ? ['POST /v1/dev/tokens'] : []),
      ].sort(),
    );
    for (const { key, path, operation } of operationsOf(document)) {
      expect({ key, security: operation.security }).toEqual({ key, security: expect.any(Array) });
      if (operation.security?.length === 0) continue;
      expect({ key, session: operation.security }).toEqual({ key, session: expect.arrayContaining([{ bearer: [] }]) });
      // The caller policy: an API token reaches the routes of its own account (`{accountId}`), except
      // those that mint a secret (TOK-11, TOK-16): a token neither issues nor rotates tokens.
      const mintsSecret = [
        'POST /v1/accounts/{accountId}/tokens',
        'POST /v1/accounts/{accountId}/tokens/{tokenId}/rotate',
      ];
      if (path.includes('{accountId}') && !mintsSecret.includes(key)) {
        expect({ key, token: operation.security }).toEqual({ key, token: expect.arrayContaining([{ apiToken: [] }]) });
      }
    }
  });

  it('documents the problem+json answers each operation can give', () => {
    for (const { key, method, path, operation } of operationsOf(document)) {
      const statuses = Object.keys(operation.responses);
      const expected = [
        ...(operation.security?.length !== 0 ? ['401'] : []),
        ...(path.includes('{accountId}') ? ['403', '404'] : []),
        // Every command takes an Idempotency-Key: a bad one is a 400, one still running a 409, reused a 422.
        ...(COMMANDS.has(method) ? ['400', '409', '422'] : []),
        ...(operation.requestBody || operation.parameters?.some((p) => p.in === 'query') ? ['400'] : []),
      ];
      expect({ key, statuses }).toEqual({ key, statuses: expect.arrayContaining(expected) });
      for (const status of statuses.filter((s) => s.startsWith('4'))) {
        expect({ key, status, content: Object.keys(operation.responses[status]?.content ?? {}) }).toEqual({
          key,
          status,
          content: ['application/problem+json'],
        });
      }
    }
  });
});

describe('GET /', () => {
  let gateway: Harness;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('points a person at the API reference, without a token', async () => {
    const res = await gateway.request({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ docs: '/docs', openapi: '/docs-json' });
    const docs = await gateway.request({ method: 'GET', url: res.json().docs });
    expect(docs.statusCode).toBe(200);
  });
});
