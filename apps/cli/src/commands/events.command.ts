import { Command, Option } from 'commander';
import type { EventEnvelope } from '@accord/contracts';
import { UsageError } from '../cli-errors';
import * as arg from '../io/arguments';
import { printEvent } from '../io/output';
import { openStore } from '../io/store-connection';
import { untilInterrupted } from '../io/interrupt';
import { withDataDir, type GlobalOptions } from '../global-options';

const PAGE = 500;

interface ReadOptions extends GlobalOptions {
  readonly stream?: string;
  readonly account?: string;
  readonly type?: string[];
  readonly from?: string;
  readonly to?: string;
  readonly afterPosition?: number;
  readonly limit?: number;
  readonly json?: boolean;
}

/** `accord events read` and `accord events tail`. */
export function eventsCommand(): Command {
  const events = new Command('events').description('read and follow the event store');
  withDataDir(
    events
      .command('read')
      .description('events in global order with their full envelope')
      .addOption(
        new Option('--stream <id>', 'one stream, e.g. account-<uuid>').argParser(arg.streamId).conflicts('account'),
      )
      .option('--account <id>', 'every event of one account (all of its streams)', arg.accountId)
      .option('--type <types>', 'only these event types (comma-separated, repeatable)', arg.eventTypes)
      .option('--from <iso>', 'events that occurred at or after this instant', arg.instant)
      .option('--to <iso>', 'events that occurred before this instant', arg.instant)
      .option('--after-position <n>', 'events after this global position', arg.position)
      .option('--limit <n>', 'at most this many events', arg.positiveCount)
      .option('--json', 'one JSON envelope per line'),
  ).action(async (options: ReadOptions) => {
    const connection = await openStore(options);
    try {
      let after = options.afterPosition ?? 0;
      let left = options.limit ?? Number.POSITIVE_INFINITY;
      while (left > 0) {
        const page = await connection.store.readEvents({
          ...filterOf(options),
          after,
          limit: Math.min(PAGE, left),
          direction: 'forward',
        });
        for (const event of page) printEvent(event, options.json === true);
        if (page.length === 0) break;
        after = page[page.length - 1]!.globalPosition;
        left -= page.length;
      }
    } finally {
      await connection.close();
    }
  });

  withDataDir(
    events
      .command('tail')
      .description('follow new events live until Ctrl-C')
      .option('--account <id>', 'only events of this account', arg.accountId)
      .option('--type <types>', 'only these event types (comma-separated, repeatable)', arg.eventTypes)
      .option('--after-position <n>', 'start after this position instead of at the head', arg.position)
      .option('--json', 'one JSON envelope per line'),
  ).action(async (options: ReadOptions) => {
    const connection = await openStore(options);
    const types = options.type ? new Set(options.type) : null;
    const wanted = (event: EventEnvelope) =>
      (!options.account || event.accountId === options.account) && (!types || types.has(event.type));
    const from = options.afterPosition ?? (await connection.store.headPosition());
    process.stderr.write(`Following ${connection.describe} after position ${from} (Ctrl-C to stop)\n`);
    const subscription = connection.store.subscribeAll(from, async (event) => {
      if (wanted(event)) printEvent(event, options.json === true);
    });
    await untilInterrupted();
    await subscription.close();
    await connection.close();
  });
  return events;
}

function filterOf(options: ReadOptions) {
  if (options.from && options.to && options.from >= options.to) throw new UsageError('--from must be before --to.');
  return {
    ...(options.stream ? { streamId: options.stream } : {}),
    ...(options.account ? { accountId: options.account } : {}),
    ...(options.type ? { types: options.type } : {}),
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  };
}
