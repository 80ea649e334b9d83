import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseTraceparent } from '@accord/contracts';
import { addToLogContext, openLogScope, type LogScope, type ProcessLogger } from '@accord/service-kit';
import { isUuid } from '@accord/contracts';
import { traceparentOf } from './trace-context';

/** Probes hit these every few seconds: their lines are debug, not info. */
const PROBE_PATHS = new Set(['/health', '/health/live', '/metrics']);

/**
 * Every request runs in a log context (`requestId` = `correlationId` = the request id, `traceId`,
 * then `accountId` from the path and the actor once authenticated), so every line logged while
 * handling it carries them; one `request completed` line per request closes it. Install after
 * `echoRequestId` and `acceptTraceparent`: it reads what they set.
 */
export function logRequests(fastify: FastifyInstance, logger: ProcessLogger): void {
  const scopes = new WeakMap<FastifyRequest, LogScope>();
  const scopeOf = (request: FastifyRequest): LogScope => {
    let scope = scopes.get(request);
    if (!scope) {
      scope = openLogScope({
        requestId: request.id,
        correlationId: request.id,
        traceId: parseTraceparent(traceparentOf(request))?.traceId,
      });
      scopes.set(request, scope);
    }
    return scope;
  };
  fastify.addHook('onRequest', (request, _reply, done) => scopeOf(request).run(() => done()));
  // Re-entered once the body is read (its stream events ran outside the scope) and the route is
  // known: the handler, guards and everything they await run inside it.
  fastify.addHook('preHandler', (request, _reply, done) =>
    scopeOf(request).run(() => {
      const accountId = (request.params as Record<string, unknown> | undefined)?.['accountId'];
      if (isUuid(accountId)) addToLogContext({ accountId: accountId.toLowerCase() });
      done();
    }),
  );
  fastify.addHook('onResponse', (request, reply, done) => {
    scopeOf(request).run(() => logCompleted(logger, request, reply));
    done();
  });
}

function logCompleted(logger: ProcessLogger, request: FastifyRequest, reply: FastifyReply): void {
  const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) };
  const path = request.url.split('?')[0] ?? '';
  if (reply.statusCode >= 500) logger.error(line, 'request failed');
  else if (PROBE_PATHS.has(path)) logger.debug(line, 'request completed');
  else logger.info(line, 'request completed');
}
