import { Command } from 'commander';
import { DomainError } from '@accord/contracts';
import {
  compareWithLive,
  discardShadow,
  readModelStatus,
  REBUILD_ALREADY_RUNNING,
  rebuildReadModel,
  swapReadModel,
  type ConsumerStatusRow,
  type ReadModelComparison,
} from '@accord/projections';
import { knownConsumerNames, NOT_PROJECTED_TABLES, READ_MODELS, readModelNamed } from '@accord/read-models';
import { CheckFailedError, UsageError } from '../cli-errors';
import { printJson, printLine } from '../io/output';
import { startProgress, type Progress } from '../io/progress';
import { openStore } from '../io/store-connection';
import { withDataDir, type GlobalOptions } from '../global-options';

interface RebuildOptions extends GlobalOptions {
  readonly verify?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** `accord projections status | rebuild NAME [--verify] [--force]`. */
export function projectionsCommand(): Command {
  const projections = new Command('projections').description('read models and reactors: status, rebuild, verify');

  withDataDir(
    projections
      .command('status')
      .description(
        'every read model and reactor: checkpoint, head, events behind, running or failed (exit 1 if one failed)',
      )
      .option('--json', 'one JSON object per consumer'),
  ).action(async (options: GlobalOptions & { json?: boolean }) => {
    const connection = await openStore(options);
    try {
      const rows = await readModelStatus(connection.sql, connection.store, knownConsumerNames());
      if (options.json) rows.forEach(printJson);
      else rows.forEach((row) => printLine(describeStatus(row)));
      const failed = rows.filter((row) => row.state === 'failed');
      if (failed.length > 0)
        throw new CheckFailedError(`${failed.length} consumer(s) failed: ${failed.map((r) => r.name).join(', ')}`);
    } finally {
      await connection.close();
    }
  });

  withDataDir(
    projections
      .command('rebuild <name>')
      .description(
        'rebuild a read model into shadow tables from position 0 and compare it with the live one; ' +
          'without --verify, swap it in atomically when equal (or when different, with --force)',
      )
      .option('--verify', 'only compare: report the differences and exit 1 on any, change nothing')
      .option('--force', 'swap the rebuilt tables in even when they differ from the live ones')
      .option('--json', 'print the comparison as JSON')
      .addHelpText('after', `\nRead models: ${READ_MODELS.map((p) => p.name).join(', ')}`),
  ).action(async (name: string, options: RebuildOptions) => {
    const projection = readModelNamed(name);
    if (!projection)
      throw new UsageError(
        `No read model "${name.slice(0, 80)}"; known: ${READ_MODELS.map((p) => p.name).join(', ')}.`,
      );
    if (options.verify && options.force)
      throw new UsageError('--verify changes nothing; --force only applies to a swap.');
    const connection = await openStore(options);
    try {
      // The bar starts once the rebuild knows how many events it will apply.
      let progress: Progress | null = null;
      let totalSeen = 0;
      const build = await rebuildReadModel(connection.sql, connection.store, projection, {
        notProjected: NOT_PROJECTED_TABLES,
        onProgress: (done, total) => {
          totalSeen = total;
          progress ??= startProgress(`rebuild ${projection.name}`, total);
          progress.update(done, done);
        },
      }).catch((error: unknown) => {
        // Another `accord projections rebuild` of it is running: not a fault, the operator waits (exit 2).
        if (error instanceof DomainError && error.code === REBUILD_ALREADY_RUNNING) throw new UsageError(error.message);
        throw error;
      });
      (progress as Progress | null)?.stop();
      let comparison: ReadModelComparison;
      let swapped = false;
      if (options.verify) {
        try {
          comparison = await compareWithLive(connection.sql, build);
        } finally {
          await discardShadow(connection.sql, build);
        }
      } else {
        ({ comparison, swapped } = await swapReadModel(connection.sql, build, { force: options.force === true }));
      }
      report(comparison, swapped, options, totalSeen);
      if (!comparison.equal && !swapped)
        throw new CheckFailedError(
          options.verify
            ? `The rebuilt ${projection.name} differs from the live read model.`
            : `The rebuilt ${projection.name} differs from the live read model: not swapped (--force swaps it in anyway).`,
        );
    } finally {
      await connection.close();
    }
  });
  return projections;
}

function describeStatus(row: ConsumerStatusRow): string {
  const behind = `${row.eventsBehind}${row.eventsBehindCapped ? '+' : ''} events behind`;
  const line = `${row.state.padEnd(13)} ${row.kind.padEnd(10)} ${row.name}  checkpoint ${row.checkpoint ?? '-'}  head ${row.head}  ${behind}`;
  if (!row.failure) return line;
  const f = row.failure;
  return `${line}\n    stopped on ${f.eventType} ${f.eventId} (position ${f.position}): ${f.error}`;
}

function report(comparison: ReadModelComparison, swapped: boolean, options: RebuildOptions, events: number): void {
  if (options.json) {
    printJson({ ...comparison, swapped, eventsRebuilt: events });
    return;
  }
  const verdict = comparison.equal ? 'equal to the live read model' : 'DIFFERENT from the live read model';
  printLine(
    `${comparison.projection}: rebuilt from ${events} events up to position ${comparison.position}, ${verdict}.`,
  );
  for (const table of comparison.tables) {
    if (table.problem) printLine(`  ${table.table}: ${table.problem}`);
    else if (table.onlyLive || table.onlyRebuilt) {
      printLine(
        `  ${table.table}: ${table.onlyLive} row(s) only in the live table, ${table.onlyRebuilt} only in the rebuild`,
      );
      for (const row of table.samplesOnlyLive) printLine(`    live:    ${row}`);
      for (const row of table.samplesOnlyRebuilt) printLine(`    rebuilt: ${row}`);
    } else printLine(`  ${table.table}: equal`);
  }
  if (swapped) printLine('Swapped: the rebuilt tables are now the live read model (checkpoint unchanged).');
}
