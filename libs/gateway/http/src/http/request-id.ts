import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { isUuid } from '@accord/contracts';

/**
 * The correlation id of a request: the caller's `x-request-id` when it is a UUID (so a trace
 * spans client and services), else a fresh one. Anything else is dropped: it would flow into
 * every event's envelope and every log line.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return isUuid(header) ? header.toLowerCase() : randomUUID();
}

/** Echoes the correlation id (Fastify's `request.id`) on every response, errors and 404s included. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
