import { Logger, type LoggerService } from '@nestjs/common';
import { EXIT } from './cli-errors';
import { runAccord } from './run';

/** Library code logs through Nest's Logger, which writes to stdout: keep stdout for data. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`warning: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
};
Logger.overrideLogger(stderrLogger);

// exitCode, not exit(): stdout may still be flushing into a pipe.
runAccord(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`accord: ${String(error)}\n`);
    process.exitCode = EXIT.usage;
  },
);
