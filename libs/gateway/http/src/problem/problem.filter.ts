import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isErrorValue, type ErrorKind, type ErrorValue } from '@accord/contracts';
import { GatewayError } from './gateway-error';
import { PROBLEM_CONTENT_TYPE, problemFor, problemForStatus, type ProblemResponse } from './problem';

const KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  'validation',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'unprocessable',
  'rate_limited',
  'stale',
  'unavailable',
  'internal',
]);

/**
 * Every error leaving the gateway passes here, so it is mapped once and always as problem+json:
 * our own errors, error values of the services, router 404s, body-parser and Fastify limits.
 * Anything unexpected becomes a bare 500: its message and stack go to the log, never to the
 * client (they can name internals, queries or secrets).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception, request);
    if (reply.sent) return;
    reply
      .status(problem.status)
      .headers(headers)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemResponse {
    if (exception instanceof GatewayError) return problemFor(exception.error, exception.fieldErrors);
    if (isKnownErrorValue(exception)) return problemFor(exception);
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    this.logger.error(
      `unexpected error on ${request.method} ${request.routeOptions?.url ?? '?'} (request ${request.id})`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return internalError();
  }

  /** Raised by Nest or Fastify below our code: unknown route, unsupported media type, body too large… */
  private fromHttpException(exception: HttpException, request: FastifyRequest): ProblemResponse {
    const status = exception.getStatus();
    if (status === 404) return problemForStatus(404, 'route.not_found', 'no such resource');
    if (status === 415)
      return problemForStatus(415, 'request.unsupported_media_type', 'send the request body as application/json');
    if (status >= 500) {
      this.logger.error(`HTTP ${status} on ${request.method} (request ${request.id})`, exception.stack);
      return internalError();
    }
    // Fastify's and Nest's own 4xx messages are generic ("Unsupported Media Type: text/plain").
    return problemForStatus(status, `http.${status}`, exception.message);
  }
}

function isKnownErrorValue(value: unknown): value is ErrorValue {
  return isErrorValue(value) && KINDS.has(value.kind);
}

function internalError(): ProblemResponse {
  return problemForStatus(
    500,
    'internal',
    'something went wrong on our side; the x-request-id header identifies it in our logs',
  );
}
