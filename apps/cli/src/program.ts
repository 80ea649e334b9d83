import { Command } from 'commander';
import { accessAtCommand } from './commands/access-at.command';
import { auditCommand } from './commands/audit.command';
import { eventsCommand } from './commands/events.command';
import { projectionsCommand } from './commands/projections.command';
import { replayCommand } from './commands/replay.command';

/** The `accord` command line: every command, each with its own --help. */
export function accordProgram(): Command {
  const program = new Command('accord')
    .description(
      'Accord operations: read, follow and replay the event store, check and rebuild read models, ' +
        'export and verify signed audit logs, and answer who could do what when.\n' +
        'The store: --data-dir DIR (an embedded data folder; default ./data) or DATABASE_URL (PostgreSQL).\n' +
        'Exit codes: 0 ok, 1 check failed, 2 usage or connection error.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions();
  program.addCommand(eventsCommand());
  program.addCommand(replayCommand());
  program.addCommand(projectionsCommand());
  program.addCommand(auditCommand());
  program.addCommand(accessAtCommand());
  return program;
}
