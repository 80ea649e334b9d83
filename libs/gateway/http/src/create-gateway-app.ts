import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { GatewayHttpModule } from './gateway-http.module';
import type { GatewayAppOptions } from './gateway-options';
import { withIdempotencyKeyHeader } from './idempotency/openapi';
import { recordIdempotentResponses } from './idempotency/idempotency.interceptor';
import { refuseControlCharacters } from './http/control-characters';
import { BODY_LIMIT_BYTES, useStrictJsonBodies } from './http/json-body';

/** Longer than any valid path id, so the pipes (not the router) answer for an over-long one. */
const MAX_PATH_PARAM_LENGTH = 1024;
import { correlationIdOf, echoRequestId } from './http/request-id';

/**
 * Builds and initialises the gateway on Fastify: routes, guard, validation, problem+json errors,
 * OpenAPI at `/docs` and `/docs-json`. Call `listen(port, host)` to serve, or use Fastify's
 * `inject` (`app.getHttpAdapter().getInstance().inject(…)`) without opening a port.
 */
export async function createGatewayApp(options: GatewayAppOptions): Promise<NestFastifyApplication> {
  const { logger = true, ...moduleOptions } = options;
  // Path parameters may be as long as the longest valid id (a user id has up to 255 characters);
  // Fastify's default of 100 would turn a valid long id into a route-level 404.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    logger: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayHttpModule.forRoot(moduleOptions), adapter, {
    logger: logger ? undefined : false,
    // Let the composition root see a wiring error instead of Nest exiting the process.
    abortOnError: false,
    // Bodies are JSON only, parsed by `useStrictJsonBodies`; Nest would add its own JSON and form parsers.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  echoRequestId(fastify);
  useStrictJsonBodies(fastify);
  refuseControlCharacters(fastify);
  recordIdempotentResponses(fastify);
  serveOpenApi(app);
  await app.init();
  return app;
}

function serveOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Accord')
    .setDescription(
      'Access sharing and team membership. Errors are RFC 9457 problem+json. Every command answers with a `position`; ' +
        'pass it as `?minPosition=` on a later GET to read your own write.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, withIdempotencyKeyHeader(SwaggerModule.createDocument(app, config)));
}
