import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiTokenVerifier } from './api-token-verifier';
import { rememberPerson } from './caller';
import { JwtCodec, unauthenticated } from './jwt';
import { IS_PUBLIC } from './public.decorator';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)[ ]*$/i;
/** API tokens: `acc_` + base62 secret + checksum (the token service validates the rest). */
const BEARER_API_TOKEN = /^Bearer[ ]+(acc_[A-Za-z0-9]{20,200})[ ]*$/;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(). Swagger's
 * `/docs*` routes are registered on Fastify directly, so they never reach it.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtCodec,
    private readonly apiTokens: ApiTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header) throw unauthenticated('auth.missing_token', 'sign in: send Authorization: Bearer <token>');
    const apiToken = BEARER_API_TOKEN.exec(header);
    if (apiToken?.[1]) {
      rememberPerson(request, await this.apiTokens.verify(apiToken[1], minPositionOf(request)));
      return true;
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) throw unauthenticated('auth.invalid_token', 'the Authorization header must be: Bearer <token>');
    rememberPerson(request, await this.jwt.verify(match[1]));
    return true;
  }
}

/** The request's `?minPosition=` when it is a plain non-negative integer (validated again later). */
function minPositionOf(request: FastifyRequest): number | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.['minPosition'];
  return typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : undefined;
}
