import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { invalidInput } from '../problem/gateway-error';

/** Parses `?minPosition=`; absent → undefined, not a non-negative integer → 400 naming it. */
export function parseMinPosition(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value))
    throw invalidInput([{ field: 'minPosition', message: 'minPosition must be a non-negative integer' }]);
  return value;
}

/**
 * Read-your-writes: the `position` a command answered with, passed back on a later GET, makes the
 * services answer from a read model at least that fresh (or 503 stale, never silently older).
 */
export const MinPosition = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
  return parseMinPosition(query?.['minPosition']);
});

/** OpenAPI for `?minPosition=`. */
export function ApiMinPosition(): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'minPosition',
      required: false,
      schema: { type: 'integer', minimum: 0 },
      description: 'Answer from state at least as recent as this `position` (from a command response)',
    }),
  );
}
