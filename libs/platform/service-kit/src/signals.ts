import { Logger } from '@nestjs/common';

/**
 * Close a process's resources in order on SIGINT/SIGTERM (Nest app, relay, NATS drain, pools), so
 * in-flight requests finish and the relay checkpoints; a second signal exits at once.
 */
export function closeOnSignal(name: string, close: () => Promise<void>): void {
  const logger = new Logger(name);
  const stop = (signal: NodeJS.Signals) => {
    logger.log(`${signal}: shutting down`);
    process.once(signal, () => process.exit(1));
    close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Report a start-up failure by its message (config errors name the variable) and exit non-zero. */
export function exitOnStartFailure(name: string) {
  return (error: Error) => {
    console.error(`${name} failed to start: ${error.message}`);
    process.exit(1);
  };
}
