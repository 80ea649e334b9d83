import { Logger } from '@nestjs/common';
import { DomainError, fail, isEventSchemaViolation, ok, type Reply } from '@accord/contracts';
import { WrongExpectedVersionError } from '@accord/eventstore';

const logger = new Logger('Reply');

/**
 * Runs a use case and turns its outcome into a `Reply` value — the one place where exceptions
 * become the error vocabulary on the service side. Unexpected errors are logged by name only
 * (their messages may carry data) and answered as `unavailable`; an event the store refused for
 * its schema (EventSchemaViolation) is `internal`.
 */
export async function toReply<T>(work: () => Promise<T>): Promise<Reply<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof DomainError) return fail(error.toValue());
    if (error instanceof WrongExpectedVersionError) {
      return fail({
        kind: 'conflict',
        code: 'version.conflict',
        message: 'Someone else changed this at the same time; try again.',
      });
    }
    if (error instanceof StaleReadError) {
      return fail({ kind: 'stale', code: 'read_model.stale', message: error.message, retryAfterSeconds: 1 });
    }
    if (isEventSchemaViolation(error)) {
      // A bug of ours: the store refused an event that does not match its schema and stored
      // nothing. Logged with the event type, id and the failing paths — never the data.
      logger.error(error.message, error.stack);
      return fail({
        kind: 'internal',
        code: 'event.schema_violation',
        message: 'The request could not be completed because of an internal error.',
      });
    }
    logger.error(`Unexpected ${(error as Error)?.name ?? 'error'}`, (error as Error)?.stack);
    return fail({ kind: 'unavailable', code: 'service.error', message: 'The service could not complete the request.' });
  }
}

/** A query asked for a position the read model did not reach in time (never serve older state). */
export class StaleReadError extends Error {
  constructor(position: number) {
    super(`The read model has not reached position ${position} yet; retry shortly.`);
    this.name = 'StaleReadError';
  }
}
