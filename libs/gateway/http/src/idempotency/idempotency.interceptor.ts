import {
  Inject,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { of, type Observable } from 'rxjs';
import { callerOf, type Caller } from '../auth/caller';
import { IS_PUBLIC } from '../auth/public.decorator';
import { GatewayError } from '../problem/gateway-error';
import { canonicalJson, carriesSecret, IDEMPOTENT_METHODS, idempotencyKeyOf, sha256 } from './idempotency-key';
import type { IdempotencyStore, RecordedResponse } from './idempotency-store';

/** Nest token of the `IdempotencyStore` inside the gateway module. */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** Marks a replayed response (as Stripe and others do); the body and status are the first ones. */
export const REPLAYED_HEADER = 'idempotent-replayed';

interface Attempt {
  readonly store: IdempotencyStore;
  readonly scope: string;
  readonly lease: string;
}

// Claimed attempts by request object: the onSend hook records what was answered to that request.
const attempts = new WeakMap<FastifyRequest, Attempt>();
const logger = new Logger('Idempotency');

/**
 * SEC-12, app-wide (an APP_INTERCEPTOR: no route can miss it). A POST, PUT, PATCH or
 * DELETE carrying `Idempotency-Key` from an authenticated caller runs at most once per
 * (caller, method, path, key) for 24 hours:
 *
 * - the first request claims the key and runs; its response is recorded by `recordIdempotentResponses`
 *   before it is sent, when it is a completed answer (2xx, 3xx, 4xx except 429);
 *   5xx, 503 and 429 free the key again (the client is meant to retry those);
 * - a retry with the same body gets the first status and body again (header `Idempotent-Replayed: true`),
 *   with no second effect, also after a restart and on another replica (the store is in PostgreSQL);
 * - the same key with another body is 422 `idempotency.key_reused`;
 * - a duplicate arriving while the first still runs is told 409 `idempotency.in_progress` with
 *   `Retry-After: 1` at once (the draft's answer; nothing waits, so nothing piles up);
 * - a response that carried a secret shown once (an issued API token, an api_token access accept,
 *   anything the `carriesSecret` rule finds) is recorded without its body (only its SHA-256), and a
 *   retry is told 409 `idempotency.secret_not_replayable`: no secret ever rests in the table.
 *
 * The caller is the user, how they act (session, API token id, impersonator): a key of one
 * caller never answers another. Public routes (no caller) ignore the key after checking its form.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!IDEMPOTENT_METHODS.has(request.method)) return next.handle();
    const key = idempotencyKeyOf(request.headers, request.raw?.rawHeaders);
    if (key === undefined) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return next.handle();

    const scope = sha256(JSON.stringify([...callerParts(callerOf(context)), request.method, pathOf(request.url), key]));
    const fingerprint = sha256(canonicalJson(request.body));
    let outcome;
    try {
      outcome = await this.store.claim(scope, fingerprint);
    } catch (error) {
      logger.error(
        `idempotency store unavailable (request ${request.id})`,
        error instanceof Error ? error.stack : String(error),
      );
      throw new GatewayError({
        kind: 'unavailable',
        code: 'idempotency.unavailable',
        message: 'the request cannot be made idempotent right now; retry shortly',
        retryAfterSeconds: 1,
      });
    }
    switch (outcome.kind) {
      case 'claimed':
        attempts.set(request, { store: this.store, scope, lease: outcome.lease });
        return next.handle();
      case 'in_progress':
        if (outcome.fingerprint !== fingerprint) throw keyReused();
        throw new GatewayError({
          kind: 'conflict',
          code: 'idempotency.in_progress',
          message: 'a request with this Idempotency-Key is still being processed; retry shortly',
          retryAfterSeconds: 1,
        });
      case 'completed':
        if (outcome.fingerprint !== fingerprint) throw keyReused();
        return replay(context.switchToHttp().getResponse<FastifyReply>(), outcome.response);
    }
  }
}

function replay(reply: FastifyReply, response: RecordedResponse): Observable<unknown> {
  if (response.body === null) {
    throw new GatewayError({
      kind: 'conflict',
      code: 'idempotency.secret_not_replayable',
      message: `the first request with this Idempotency-Key was answered with status ${response.status}; its response carried a secret that is shown once and not kept`,
    });
  }
  reply.status(response.status).header(REPLAYED_HEADER, 'true');
  if (response.contentType) reply.header('content-type', response.contentType);
  return of(response.body);
}

function keyReused(): GatewayError {
  return new GatewayError({
    kind: 'unprocessable',
    code: 'idempotency.key_reused',
    message: 'this Idempotency-Key was already used with a different request body; use a new key for a new request',
    field: 'Idempotency-Key',
  });
}

/**
 * Records the response of a claimed attempt before it leaves (so a retry that arrives after the
 * client got it always finds it), or frees the key when the answer asks for a retry.
 * Registered by `createGatewayApp` on Fastify: it sees the final status and body, errors included.
 */
export function recordIdempotentResponses(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const attempt = attempts.get(request);
    if (!attempt) return payload;
    attempts.delete(request);
    const status = reply.statusCode;
    const body =
      payload === null || payload === undefined
        ? ''
        : typeof payload === 'string'
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : undefined;
    try {
      if (status >= 500 || status === 429 || body === undefined) {
        await attempt.store.release(attempt.scope, attempt.lease);
      } else {
        const contentType = reply.getHeader('content-type');
        await attempt.store.complete(attempt.scope, attempt.lease, {
          status,
          contentType: typeof contentType === 'string' ? contentType : null,
          body: carriesSecret(body) ? null : body,
          bodySha256: sha256(body),
        });
      }
    } catch (error) {
      // The answer is sent anyway; the key stays claimed until its lease runs out (a retry is told 409 until then).
      logger.error(
        `could not record an idempotent response (request ${request.id})`,
        error instanceof Error ? error.stack : String(error),
      );
    }
    return payload;
  });
}

function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

function callerParts(caller: Caller): unknown[] {
  return [
    caller.person.userId,
    caller.actor.via,
    caller.actor.impersonatorId ?? null,
    caller.apiToken?.tokenId ?? null,
    caller.apiToken?.accountId ?? null,
  ];
}
