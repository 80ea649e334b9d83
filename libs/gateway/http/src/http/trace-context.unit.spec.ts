import { randomUUID } from 'node:crypto';
import { ok, parseTraceparent, subjects } from '@accord/contracts';
import { bearer, person, startGateway, tokenFor, type Harness } from '../testing/gateway-harness';
import { gatewayTraceContext, type RandomHex } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

/** Hex digits from a script: each call takes the next value. */
function scripted(...values: string[]): RandomHex {
  return () => values.shift() ?? 'ab'.repeat(16);
}

describe('the gateway trace context of a request', () => {
  it("continues the caller's trace (same trace id and flags) under a new span of the gateway", () => {
    const context = gatewayTraceContext(CALLER, scripted('1111111111111111'));
    expect(context).toEqual({ traceId: TRACE_ID, parentId: '1111111111111111', flags: '01' });
  });

  it('starts a new trace when the caller sent none', () => {
    const context = gatewayTraceContext(undefined, scripted('22'.repeat(16), '3333333333333333'));
    expect(context).toEqual({ traceId: '22'.repeat(16), parentId: '3333333333333333', flags: '00' });
  });

  it('ignores a malformed header (a new trace, not an error)', () => {
    const context = gatewayTraceContext(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, scripted('44'.repeat(16)));
    expect(context.traceId).toBe('44'.repeat(16));
  });

  it('never hands out an all-zero id', () => {
    const context = gatewayTraceContext(
      undefined,
      scripted('0'.repeat(32), '55'.repeat(16), '0'.repeat(16), '66'.repeat(8)),
    );
    expect(context).toEqual({ traceId: '55'.repeat(16), parentId: '66'.repeat(8), flags: '00' });
  });
});

describe('traceparent over HTTP', () => {
  let gateway: Harness;
  let token: string;

  beforeAll(async () => {
    gateway = await startGateway();
    token = await tokenFor(person());
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.client.reset());

  async function createAccount(headers: Record<string, string>) {
    gateway.client.on(subjects.membership.createAccount, ok({ id: randomUUID(), name: 'Acme', position: 1 }));
    const res = await gateway.request({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...bearer(token), ...headers },
      payload: { name: 'Acme' },
    });
    expect(res.statusCode).toBe(201);
    const [sent] = gateway.client.sentTo(subjects.membership.createAccount);
    return { res, metadata: sent!.metadata! };
  }

  it("carries the caller's trace id to the command and answers with the gateway's traceparent", async () => {
    const { res, metadata } = await createAccount({ traceparent: CALLER });
    const answered = parseTraceparent(res.headers['traceparent']);
    expect(answered?.traceId).toBe(TRACE_ID);
    expect(answered?.parentId).not.toBe('00f067aa0ba902b7');
    expect(metadata.traceparent).toBe(res.headers['traceparent']);
  });

  it('generates a trace for a request without one, so every command is traceable', async () => {
    const { res, metadata } = await createAccount({});
    expect(parseTraceparent(res.headers['traceparent'])).toBeDefined();
    expect(metadata.traceparent).toBe(res.headers['traceparent']);
  });

  it('ignores a malformed traceparent: the request succeeds under a new trace', async () => {
    const { res, metadata } = await createAccount({ traceparent: `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01` });
    const answered = parseTraceparent(res.headers['traceparent']);
    expect(answered).toBeDefined();
    expect(answered?.traceId).not.toBe(TRACE_ID);
    expect(metadata.traceparent).toBe(res.headers['traceparent']);
  });

  it('answers with a traceparent on errors too (401, 404)', async () => {
    const unauthenticated = await gateway.request({ method: 'POST', url: '/v1/accounts', payload: { name: 'Acme' } });
    expect(unauthenticated.statusCode).toBe(401);
    expect(parseTraceparent(unauthenticated.headers['traceparent'])).toBeDefined();
    const missing = await gateway.request({ method: 'GET', url: '/nowhere', headers: { traceparent: CALLER } });
    expect(missing.statusCode).toBe(404);
    expect(parseTraceparent(missing.headers['traceparent'])?.traceId).toBe(TRACE_ID);
  });
});
