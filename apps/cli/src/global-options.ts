import type { Command } from 'commander';

/** Options every command that opens the store accepts. */
export interface GlobalOptions {
  readonly dataDir?: string;
}

/** `--data-dir`: the embedded data folder (default ./data unless DATABASE_URL names a server). */
export function withDataDir(command: Command): Command {
  return command.option(
    '--data-dir <dir>',
    'embedded data folder (default ./data, the one npm start uses); without it, DATABASE_URL when set',
  );
}
