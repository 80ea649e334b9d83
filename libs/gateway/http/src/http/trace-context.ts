import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatTraceparent, parseTraceparent, type TraceContext } from '@accord/contracts';

/** The W3C trace context header (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT_HEADER = 'traceparent';

/** Random bytes as lowercase hex (`randomBytes`, injectable for specs). */
export type RandomHex = (bytes: number) => string;

const randomHex: RandomHex = (bytes) => randomBytes(bytes).toString('hex');

/**
 * The gateway's trace context for a request: the caller's trace continued (same trace id and
 * flags) under a new span id of the gateway, or a new trace when the caller sent no valid
 * `traceparent`. A malformed header is ignored, never an error: tracing must not fail a request.
 */
export function gatewayTraceContext(header: unknown, random: RandomHex = randomHex): TraceContext {
  const caller = parseTraceparent(header);
  return {
    traceId: caller?.traceId ?? nonZero(random, 16),
    parentId: nonZero(random, 8),
    flags: caller?.flags ?? '00',
  };
}

/** An id that W3C allows: all zeros is "no id". */
function nonZero(random: RandomHex, bytes: number): string {
  for (;;) {
    const id = random(bytes);
    if (!/^0+$/.test(id)) return id;
  }
}

// Keyed by the request object: a client cannot set it except through the validated header.
const traceparents = new WeakMap<FastifyRequest, string>();

/** The `traceparent` the gateway gave this request (what its commands carry into events). */
export function traceparentOf(request: FastifyRequest): string | undefined {
  return traceparents.get(request);
}

/**
 * Gives every request a trace context (accepted or generated) and answers with it in
 * `traceparent`, so a caller can find the events and log lines of its request by trace id.
 */
export function acceptTraceparent(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const traceparent = formatTraceparent(gatewayTraceContext(request.headers[TRACEPARENT_HEADER]));
    traceparents.set(request, traceparent);
    reply.header(TRACEPARENT_HEADER, traceparent);
  });
}
