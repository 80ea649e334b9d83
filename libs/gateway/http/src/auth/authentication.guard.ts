import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { subjects, type RecordImpersonatedReadPayload } from '@accord/contracts';
import { Dispatcher } from '../dispatch/dispatcher';
import { isUuid } from '@accord/contracts';
import { ApiTokenVerifier } from './api-token-verifier';
import { API_TOKEN_ALLOWED, HIDDEN_FROM_IMPERSONATION, enforceCallerPolicy } from './caller-policy';
import { rememberPerson } from './caller';
import { JwtCodec, unauthenticated, type Identity } from './jwt';
import { IS_PUBLIC } from './public.decorator';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)[ ]*$/i;
/** API tokens: `acc_` + base62 secret + checksum (the token service validates the rest). */
const BEARER_API_TOKEN = /^Bearer[ ]+(acc_[A-Za-z0-9]{20,200})[ ]*$/;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(). Swagger's
 * `/docs*` routes are registered on Fastify directly, so they never reach it. It then applies the
 * caller policy (API tokens stay in their account, impersonation only reads) and records every
 * read made under impersonation before the route runs: no record, no answer.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtCodec,
    private readonly apiTokens: ApiTokenVerifier,
    private readonly dispatcher: Dispatcher,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header) throw unauthenticated('auth.missing_token', 'sign in: send Authorization: Bearer <token>');
    const identity = await this.identify(request, header);
    const route = {
      method: request.method,
      accountId: accountIdOf(request),
      apiTokenAllowed: this.flag(API_TOKEN_ALLOWED, context),
      hiddenFromImpersonation: this.flag(HIDDEN_FROM_IMPERSONATION, context),
    };
    enforceCallerPolicy(identity, route);
    rememberPerson(request, identity);
    if (identity.actor.via === 'impersonation') {
      // An account id that is not one (the route's pipe will answer 404) names no account.
      const accountId = isUuid(route.accountId) ? route.accountId.toLowerCase() : null;
      const payload: RecordImpersonatedReadPayload = {
        accountId,
        route: `${request.method} ${request.routeOptions.url ?? '?'}`,
      };
      await this.dispatcher.command(subjects.membership.recordImpersonatedRead, payload, {
        ...identity,
        correlationId: request.id,
      });
    }
    return true;
  }

  private async identify(request: FastifyRequest, header: string): Promise<Identity> {
    const apiToken = BEARER_API_TOKEN.exec(header);
    if (apiToken?.[1]) return this.apiTokens.verify(apiToken[1], minPositionOf(request));
    const match = BEARER.exec(header);
    if (!match?.[1]) throw unauthenticated('auth.invalid_token', 'the Authorization header must be: Bearer <token>');
    return this.jwt.verify(match[1]);
  }

  private flag(key: string, context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
  }
}

/** The route's `:accountId` parameter (validated later by its pipe; here only compared). */
function accountIdOf(request: FastifyRequest): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.['accountId'];
  return typeof value === 'string' ? value : undefined;
}

/** The request's `?minPosition=` when it is a plain non-negative integer (validated again later). */
function minPositionOf(request: FastifyRequest): number | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.['minPosition'];
  return typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : undefined;
}
