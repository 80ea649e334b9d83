import { Command, CommanderError } from 'commander';
import { CheckFailedError, EXIT, UsageError } from './cli-errors';
import { accordProgram } from './program';

/**
 * Runs one `accord` command line and returns its exit code (README "Operations": 0 ok, 1 check
 * failed, 2 usage or connection error). `argv` as node gives it: [node, script, ...arguments].
 */
export async function runAccord(argv: readonly string[]): Promise<number> {
  const program = accordProgram();
  // Commander exits the process with 1 on a usage error by default; ours return 2.
  exitOverrideEverywhere(program);
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
      return benign.includes(error.code) ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CheckFailedError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.checkFailed;
    }
    // A usage or connection error says what to fix; anything else is a fault of ours: show where.
    const text = error instanceof UsageError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`accord: ${text}\n`);
    return EXIT.usage;
  }
}

function exitOverrideEverywhere(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideEverywhere(sub);
}
