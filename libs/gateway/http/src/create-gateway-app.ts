import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayHttpModule } from './gateway-http.module';
import type { GatewayAppOptions } from './gateway-options';
import { serveOpenApi } from './openapi/openapi-document';
import { recordIdempotentResponses } from './idempotency/idempotency.interceptor';
import { refuseControlCharacters } from './http/control-characters';
import { BODY_LIMIT_BYTES, useStrictJsonBodies } from './http/json-body';

/** Longer than any valid path id, so the pipes (not the router) answer for an over-long one. */
const MAX_PATH_PARAM_LENGTH = 1024;
import { correlationIdOf, echoRequestId } from './http/request-id';
import { acceptTraceparent } from './http/trace-context';
import { logRequests } from './http/request-logging';
import { nestLoggerFor } from '@accord/service-kit';
import { serveLiveness, serveMetrics } from './http/ops-routes';
import { serveConsole } from './console/serve-console';

/**
 * Builds and initialises the gateway on Fastify: routes, guard, validation, problem+json errors,
 * OpenAPI at `/docs` and `/docs-json`. Call `listen(port, host)` to serve, or use Fastify's
 * `inject` (`app.getHttpAdapter().getInstance().inject(…)`) without opening a port.
 */
export async function createGatewayApp(options: GatewayAppOptions): Promise<NestFastifyApplication> {
  const { logger = true, metrics, consoleDir, ...moduleOptions } = options;
  // A pino logger: Nest's lines and one line per request go through it, as JSON.
  const pino = typeof logger === 'object' ? logger : undefined;
  // Path parameters may be as long as the longest valid id (a user id has up to 255 characters);
  // Fastify's default of 100 would turn a valid long id into a route-level 404.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    logger: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayHttpModule.forRoot(moduleOptions), adapter, {
    logger: pino ? nestLoggerFor(pino) : logger ? undefined : false,
    // Let the composition root see a wiring error instead of Nest exiting the process.
    abortOnError: false,
    // Bodies are JSON only, parsed by `useStrictJsonBodies`; Nest would add its own JSON and form parsers.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  echoRequestId(fastify);
  acceptTraceparent(fastify);
  if (pino) logRequests(fastify, pino);
  useStrictJsonBodies(fastify);
  refuseControlCharacters(fastify);
  recordIdempotentResponses(fastify);
  serveLiveness(fastify);
  if (metrics) serveMetrics(fastify, metrics);
  serveOpenApi(app);
  await serveConsole(app, consoleDir);
  await app.init();
  return app;
}
