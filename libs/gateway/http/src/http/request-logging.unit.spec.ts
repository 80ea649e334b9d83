import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'fastify';
import { fail, subjects } from '@accord/contracts';
import { createLogger } from '@accord/service-kit';
import { createGatewayApp } from '../create-gateway-app';
import { FakeRequestClient } from '../testing/fake-request-client';
import { bearer, person, TEST_SECRET, tokenFor } from '../testing/gateway-harness';

/** A pino destination that keeps every line it is given. */
function captured() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('the log lines of HTTP requests', () => {
  const olivia = person();
  const log = captured();
  const client = new FakeRequestClient();
  let app: NestFastifyApplication;
  let jwt: string;

  beforeAll(async () => {
    app = await createGatewayApp({
      jwtSecret: TEST_SECRET,
      devTokens: false,
      requestClient: client,
      logger: createLogger({ level: 'trace', name: 'gateway', destination: log.destination }),
    });
    jwt = await tokenFor(olivia);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    client.reset();
    log.lines.length = 0;
  });

  const inject = (options: InjectOptions) => app.getHttpAdapter().getInstance().inject(options);

  /** The lines of one request, parsed: every one must be JSON. */
  function linesOf(requestId: string): Record<string, unknown>[] {
    const parsed = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    return parsed.filter((line) => line['requestId'] === requestId);
  }

  it('are JSON lines carrying the request id, correlation id, actor and account', async () => {
    const requestId = randomUUID();
    const accountId = randomUUID();
    // The service behind the gateway breaks: the gateway logs why (through Nest's Logger) and answers 503.
    client.on(subjects.authz.check, () => {
      throw new Error('authz exploded');
    });

    const res = await inject({
      method: 'GET',
      url: `/v1/accounts/${accountId}/tokens`,
      headers: { ...bearer(jwt), 'x-request-id': requestId },
    });

    expect(res.statusCode).toBe(503);
    const lines = linesOf(requestId);
    const nestLine = lines.find((line) => line['context'] === 'Gateway');
    expect(nestLine).toMatchObject({ level: 'error', correlationId: requestId, accountId, userId: olivia.userId });
    expect(lines.at(-1)).toMatchObject({
      msg: 'request failed',
      requestId,
      correlationId: requestId,
      accountId,
      userId: olivia.userId,
      via: 'session',
      req: { method: 'GET', url: `/v1/accounts/${accountId}/tokens`, route: '/v1/accounts/:accountId/tokens' },
      res: { statusCode: 503 },
    });
    expect(lines.at(-1)?.['traceId']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('hold no bearer token, no Authorization header and no invitation token, in path or body', async () => {
    const requestId = randomUUID();
    const linkToken = `inv_${'Zq9'.repeat(15)}`;
    const bodyToken = 'plain-secret-link-token-7f3a9c';
    client.on(
      subjects.invitation.acceptByToken,
      fail({ kind: 'not_found', code: 'invitation.not_found', message: 'no' }),
    );
    client.on(
      subjects.invitation.invitationByToken,
      fail({ kind: 'not_found', code: 'invitation.not_found', message: 'no' }),
    );

    const accepted = await inject({
      method: 'POST',
      url: '/v1/invitations/accept-token',
      headers: { ...bearer(jwt), 'x-request-id': requestId, cookie: 'session=cookie-secret-1' },
      payload: { token: bodyToken },
    });
    // An unknown query parameter is refused (400) before any handler: its line is scrubbed all the same.
    const viewed = await inject({
      method: 'GET',
      url: `/v1/invitations/by-token/${linkToken}?token=${bodyToken}`,
      headers: { ...bearer(jwt), 'x-request-id': requestId },
    });
    const viewedOther = await inject({
      method: 'GET',
      url: `/v1/invitations/by-token/${bodyToken}`,
      headers: { 'x-request-id': requestId },
    });

    expect([accepted.statusCode, viewed.statusCode, viewedOther.statusCode]).toEqual([404, 400, 404]);
    const lines = linesOf(requestId);
    expect(lines.filter((line) => line['msg'] === 'request completed')).toHaveLength(3);
    const text = log.lines.join('\n');
    for (const secret of [jwt, linkToken, bodyToken, 'cookie-secret-1', 'Bearer ey'])
      expect(text).not.toContain(secret);
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(lines.map((line) => (line['req'] as { url: string }).url)).toEqual([
      '/v1/invitations/accept-token',
      '/v1/invitations/by-token/[redacted]?token=[redacted]',
      '/v1/invitations/by-token/[redacted]',
    ]);
  });
});
