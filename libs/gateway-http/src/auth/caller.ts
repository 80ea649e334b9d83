import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandMetadata, Person } from '@accord/contracts';

/** The authenticated person behind a request and the correlation id of that request. */
export interface Caller {
  readonly person: Person;
  readonly correlationId: string;
}

// Keyed by the request object itself: nothing a client sends can set or overwrite it.
const authenticated = new WeakMap<FastifyRequest, Person>();

export function rememberPerson(request: FastifyRequest, person: Person): void {
  authenticated.set(request, person);
}

/** Injects the `Caller` of an authenticated route. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const person = authenticated.get(request);
  // Only reachable if a @Public() route asks for a caller: a programming error, hence a 500.
  if (!person) throw new Error('CurrentCaller used on a route without authentication');
  return { person, correlationId: request.id };
});

/** Who/when/which request, for a command sent on behalf of the caller. */
export function commandMetadata(caller: Caller, now: Date = new Date()): CommandMetadata {
  return { actor: { userId: caller.person.userId, via: 'session' }, now: now.toISOString(), correlationId: caller.correlationId };
}
