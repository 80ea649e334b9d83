import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { consumerOpts, type NatsConnection } from 'nats';
import { createEventStore } from '@accord/eventstore';
import { startMembershipService } from '@accord/membership-service';
import { cleanupTestNats, connectTestNats, natsTestPrefix, TEST_NATS_URL } from '@accord/testing';
import { accord } from './testing/run-captured';
import { STORES_UNDER_TEST, type StoreUnderTest } from './testing/stores-under-test';

describe.each(STORES_UNDER_TEST)('accord replay and accord events tail on %s', (name, open) => {
  let target: StoreUnderTest;
  let nats: NatsConnection;
  const prefix = natsTestPrefix();
  const env = () => ({ ...target.env, NATS_URL: TEST_NATS_URL });
  const run = (...args: string[]) => accord([...args, ...target.args], env());

  beforeAll(async () => {
    target = await open();
    nats = await connectTestNats('accord-cli-replay-spec');
  }, 60_000);
  afterAll(async () => {
    await cleanupTestNats(nats, prefix);
    await nats.close();
    await target.close();
  });

  it('republishes a range that a JetStream consumer receives exactly once per event id, however often it runs', async () => {
    const events = (await run('events', 'read', '--json')).json();
    const [first, ...rest] = events;
    const subjectPrefix = `${prefix}.replay`;
    const args = [
      'replay',
      '--after-position',
      String(first.globalPosition),
      '--subject-prefix',
      subjectPrefix,
      '--json',
    ];

    const once = await run(...args);
    expect(once.code).toBe(0);
    expect(once.json()[0]).toMatchObject({ events: rest.length, published: rest.length, duplicates: 0 });
    const again = await run(...args);
    expect(again.json()[0]).toMatchObject({ events: rest.length, published: 0, duplicates: rest.length });

    const js = nats.jetstream();
    const subscription = await js.subscribe(`${subjectPrefix}.>`, consumerOpts().deliverAll().orderedConsumer());
    const received: { id: string | undefined; subject: string; type: string }[] = [];
    for await (const message of subscription) {
      const event = JSON.parse(new TextDecoder().decode(message.data));
      received.push({ id: message.headers?.get('Nats-Msg-Id'), subject: message.subject, type: event.type });
      if (message.info.pending === 0) break;
    }
    subscription.unsubscribe();
    expect(received.map((r) => r.id)).toEqual(rest.map((e: { id: string }) => e.id));
    expect(received[0]!.subject).toBe(`${subjectPrefix}.membership.${received[0]!.type}`);
  });

  it.each(['accord.events.copy', 'accord', 'accord.authz', '_INBOX.x', '$JS.API'])(
    "never republishes under Accord's own subjects (%s)",
    async (subjectPrefix) => {
      const result = await run('replay', '--after-position', '0', '--subject-prefix', subjectPrefix);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('subject-prefix');
    },
  );

  it('tail prints what it follows until Ctrl-C, then exits 0', async () => {
    // PostgreSQL: follows events another process appends. A data folder is this process's alone
    // while the command holds it: tail prints what comes after --after-position, then waits.
    const live = name === 'PostgreSQL';
    const child = spawnAccord(
      [
        'events',
        'tail',
        '--json',
        '--type',
        'AccountCreated',
        ...(live ? [] : ['--after-position', '0']),
        ...target.args,
      ],
      env(),
    );
    await child.stderrSays('Following');
    let accountId = target.story.accountId;
    if (live) {
      await target.withSql(async (sql) => {
        const store = await createEventStore(sql);
        const membership = await startMembershipService(store, sql);
        accountId = await membership.members.account('auth0|tailed');
        await membership.app.close();
        await store.close();
      });
    }
    await child.stdoutSays(accountId);
    expect(await child.interrupt()).toBe(0);
    const lines = child
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.accountId])).toEqual([['AccountCreated', accountId]]);
  }, 60_000);
});

/** The real bin in a child process, as an operator runs it (Ctrl-C is a real SIGINT). */
function spawnAccord(args: readonly string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [join(__dirname, '..', 'bin', 'accord.js'), ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const says = (read: () => string, text: string) =>
    new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (read().includes(text)) done(resolve);
        else if (child.exitCode !== null) done(() => reject(new Error(`accord exited ${child.exitCode}: ${stderr}`)));
      }, 25);
      const done = (then: () => void) => {
        clearInterval(poll);
        then();
      };
    });
  return {
    stdout: () => stdout,
    stdoutSays: (text: string) => says(() => stdout, text),
    stderrSays: (text: string) => says(() => stderr, text),
    interrupt: () =>
      new Promise<number | null>((resolve) => {
        child.on('exit', resolve);
        child.kill('SIGINT');
      }),
  };
}
