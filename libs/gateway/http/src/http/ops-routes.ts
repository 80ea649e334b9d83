import type { FastifyInstance } from 'fastify';
import type { AccordMetrics } from '@accord/service-kit';

/**
 * `GET /health/live`: the process is up (liveness; readiness is `GET /health`). Outside Nest's
 * router, so no guard, pipe or upstream check runs: a liveness probe must not fail because a
 * dependency is down, or the orchestrator restarts a gateway that would recover on its own.
 */
export function serveLiveness(fastify: FastifyInstance): void {
  fastify.get('/health/live', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'live' }),
  );
}

/**
 * `GET /metrics` (Prometheus text, public like `/health`: it holds counts and timings by route
 * template and subject, never an id) and the request-duration histogram: every answered request by
 * method, route TEMPLATE (`/v1/accounts/:accountId`, never the raw path) and status code.
 */
export function serveMetrics(fastify: FastifyInstance, metrics: AccordMetrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  fastify.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
