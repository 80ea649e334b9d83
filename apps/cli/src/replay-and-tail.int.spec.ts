import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { consumerOpts, type NatsConnection } from 'nats';
import { createEventStore } from '@accord/eventstore';
import { startMembershipService } from '@accord/membership-service';
import {
  cleanupTestNats,
  connectTestNats,
  createTestDatabase,
  natsTestPrefix,
  TEST_NATS_URL,
  type TestDatabase,
} from '@accord/testing';
import { accord } from './testing/run-captured';
import { seedStory } from './testing/seeded-store';

describe('accord replay and accord events tail (PostgreSQL, NATS)', () => {
  let db: TestDatabase;
  let nats: NatsConnection;
  const prefix = natsTestPrefix();
  const env = () => ({ DATABASE_URL: db.url, NATS_URL: TEST_NATS_URL });

  beforeAll(async () => {
    db = await createTestDatabase('accord_cli_replay');
    await seedStory(db.sql);
    nats = await connectTestNats('accord-cli-replay-spec');
  });
  afterAll(async () => {
    await cleanupTestNats(nats, prefix);
    await nats.close();
    await db.drop();
  });

  it('republishes a range that a JetStream consumer receives exactly once per event id, however often it runs', async () => {
    const events = (await accord(['events', 'read', '--json'], env())).json();
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

    const once = await accord(args, env());
    expect(once.code).toBe(0);
    expect(once.json()[0]).toMatchObject({ events: rest.length, published: rest.length, duplicates: 0 });
    const again = await accord(args, env());
    expect(again.json()[0]).toMatchObject({ events: rest.length, published: 0, duplicates: rest.length });

    const js = nats.jetstream();
    const options = consumerOpts().deliverAll().ackExplicit().orderedConsumer();
    const subscription = await js.subscribe(`${subjectPrefix}.>`, options);
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

  it('never republishes on the live subjects', async () => {
    const result = await accord(['replay', '--after-position', '0', '--subject-prefix', 'accord.events.copy'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('live subjects');
  });

  it('tail follows new events until Ctrl-C, then exits 0', async () => {
    const bin = join(__dirname, '..', 'bin', 'accord.js');
    const child = spawn(process.execPath, [bin, 'events', 'tail', '--json', '--type', 'AccountCreated'], {
      env: { ...process.env, ...env() },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const following = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Following')) resolve();
      }),
    );
    await following;
    const store = await createEventStore(db.sql);
    const membership = await startMembershipService(store, db.sql);
    const accountId = await membership.members.account('auth0|tailed');
    await membership.members.join(accountId, 'auth0|joined');
    await membership.app.close();
    await store.close();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stdout.includes(accountId)) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['AccountCreated']);
    expect(lines[0].accountId).toBe(accountId);
  }, 60_000);
});
