import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandMetadata } from '@accord/contracts';
import { addToLogContext } from '@accord/service-kit';
import { traceparentOf } from '../http/trace-context';
import type { Identity } from './jwt';

/** The authenticated identity behind a request, and the correlation id and trace of that request. */
export interface Caller extends Identity {
  readonly correlationId: string;
  /** W3C `traceparent` the gateway gave the request; its commands store it on their events. */
  readonly traceparent?: string;
}

// Keyed by the request object itself: nothing a client sends can set or overwrite it.
const authenticated = new WeakMap<FastifyRequest, Identity>();

export function rememberPerson(request: FastifyRequest, identity: Identity): void {
  authenticated.set(request, identity);
  // From here on the request's log lines name the actor (its id and how it authenticated, nothing more).
  addToLogContext({ userId: identity.actor.userId, via: identity.actor.via });
}

/** The `Caller` of an authenticated request (what `@CurrentCaller()` injects). */
export function callerOf(context: ExecutionContext): Caller {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const identity = authenticated.get(request);
  // Only reachable if a @Public() route asks for a caller: a programming error, hence a 500.
  if (!identity) throw new Error('CurrentCaller used on a route without authentication');
  const traceparent = traceparentOf(request);
  return { ...identity, correlationId: request.id, ...(traceparent ? { traceparent } : {}) };
}

/** Injects the `Caller` of an authenticated route. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(context),
);

/** Who/when/which request, for a command sent on behalf of the caller. */
export function commandMetadata(caller: Caller, now: Date = new Date()): CommandMetadata {
  return {
    actor: caller.actor,
    now: now.toISOString(),
    correlationId: caller.correlationId,
    ...(caller.traceparent ? { traceparent: caller.traceparent } : {}),
  };
}
