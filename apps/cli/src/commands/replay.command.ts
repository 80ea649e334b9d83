import { Command } from 'commander';
import { connect, type NatsConnection } from 'nats';
import { contextOfEventType, eventSubjectFor, natsAuthOptions } from '@accord/messaging';
import { natsAuthConfig, url } from '@accord/service-kit';
import { UsageError } from '../cli-errors';
import * as arg from '../io/arguments';
import { printJson, printLine } from '../io/output';
import { startProgress } from '../io/progress';
import { openStore } from '../io/store-connection';
import { withDataDir, type GlobalOptions } from '../global-options';
import { ensureReplayStream, replaySubjectPrefix } from '../replay/replay-stream';

interface ReplayOptions extends GlobalOptions {
  readonly afterPosition: number;
  readonly toPosition?: number;
  readonly subjectPrefix: string;
  readonly json?: boolean;
}

const PAGE = 500;

/**
 * `accord replay`: re-publishes a range of the store to JetStream under `<prefix>.<context>.<Type>`,
 * never on the live subjects, with `Nats-Msg-Id` = event id: inside the replay stream's duplicate
 * window a rerun publishes nothing twice, and after it a consumer keyed on the id (as every Accord
 * consumer is) still applies each event once.
 */
export function replayCommand(): Command {
  return withDataDir(
    new Command('replay')
      .description('re-publish a range of events to NATS under a subject prefix, for a downstream rebuild')
      .requiredOption(
        '--after-position <n>',
        'replay events after this global position (0: from the start)',
        arg.position,
      )
      .option(
        '--to-position <m>',
        'up to and including this position (default: the head when the replay starts)',
        arg.position,
      )
      .requiredOption(
        '--subject-prefix <p>',
        'e.g. replay.audit-2026-12; never the live accord.events',
        replaySubjectPrefix,
      )
      .option('--json', 'print the summary as JSON'),
  ).action(async (options: ReplayOptions) => {
    const natsUrl = url(process.env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']);
    const connection = await openStore(options);
    let nats: NatsConnection | null = null;
    try {
      const head = await connection.store.headPosition();
      const to = Math.min(options.toPosition ?? head, head);
      if (to <= options.afterPosition)
        throw new UsageError(`Nothing to replay: the range (${options.afterPosition}, ${to}] is empty.`);
      nats = await connectNats(natsUrl);
      const js = nats.jetstream();
      const stream = await ensureReplayStream(await nats.jetstreamManager(), options.subjectPrefix);
      const progress = startProgress('replay', to - options.afterPosition);
      let after = options.afterPosition;
      const counts = { events: 0, published: 0, duplicates: 0 };
      for (;;) {
        const page = (await connection.store.readAll(after, PAGE)).filter((e) => e.globalPosition <= to);
        for (const event of page) {
          const subject = eventSubjectFor(options.subjectPrefix, contextOfEventType(event.type), event.type);
          const ack = await js.publish(subject, new TextEncoder().encode(JSON.stringify(event)), { msgID: event.id });
          counts.events += 1;
          if (ack.duplicate) counts.duplicates += 1;
          else counts.published += 1;
          after = event.globalPosition;
          progress.update(after - options.afterPosition, counts.events);
        }
        if (page.length < PAGE || after >= to) break;
      }
      progress.stop();
      const summary = {
        ...counts,
        stream,
        subjectPrefix: options.subjectPrefix,
        afterPosition: options.afterPosition,
        toPosition: to,
      };
      if (options.json) printJson(summary);
      else
        printLine(
          `Replayed ${counts.events} events (${options.afterPosition}, ${to}] to ${options.subjectPrefix}.> in stream ${stream}: ` +
            `${counts.published} published, ${counts.duplicates} already there (same Nats-Msg-Id).`,
        );
    } finally {
      await nats?.drain().catch(() => undefined);
      await connection.close();
    }
  });
}

async function connectNats(natsUrl: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: natsUrl,
      ...natsAuthOptions(natsAuthConfig(process.env)),
      maxReconnectAttempts: 3,
    });
  } catch (error) {
    throw new UsageError(`Cannot reach NATS at ${new URL(natsUrl).host}: ${(error as Error).message}`);
  }
}
