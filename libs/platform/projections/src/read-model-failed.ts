import { DomainError } from '@accord/contracts';

/**
 * The read model stopped on an event it could not apply (SEC-3a): whoever waits for it
 * is told at once, as an `unavailable` error value naming it, instead of waiting for a position it
 * will not reach until it is fixed and restarted. Its answers up to where it stopped stay valid.
 */
export class ReadModelFailedError extends DomainError {
  constructor(readonly readModel: string) {
    super(
      'unavailable',
      'read_model.failed',
      `The read model ${readModel} is unavailable: it stopped on an event it could not apply. Operators are alerted; retry later.`,
      undefined,
      30,
    );
    this.name = 'ReadModelFailedError';
  }
}
