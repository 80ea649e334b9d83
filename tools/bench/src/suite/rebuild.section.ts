import { performance } from 'node:perf_hooks';
import { streams, type MembershipEvent } from '@accord/contracts';
import { createEventStore } from '@accord/eventstore';
import { membershipProjection } from '@accord/membership-service';
import { ProjectionRunner } from '@accord/projections';
import { emitRow, log, rate, throwawayDatabase } from './common';
import { accountCreated, accountIdOf, asNew, memberJoined } from './authz.section';

/**
 * Row 12: rebuild speed of the largest read model, the membership read model (accounts and
 * members: a row per membership; what GET /v1/accounts and the member lists answer from), over a
 * log of 300 accounts × 100 memberships, through the same ProjectionRunner the services use.
 * Bounded: after the cap it reports the rate reached so far.
 */
const ACCOUNTS = 300;
const MEMBERS = 100;
const CAP_MS = Number(process.env['BENCH_REBUILD_CAP_SECONDS'] ?? 15) * 1000;

export async function runRebuildSection(): Promise<void> {
  const database = await throwawayDatabase('rebuild', 4);
  const { sql } = database;
  const store = await createEventStore(sql);
  let runner: ProjectionRunner | undefined;
  try {
    for (let a = 0; a < ACCOUNTS; a++) {
      const accountId = accountIdOf(a);
      const events: MembershipEvent[] = [accountCreated(accountId, `A${a}`, `u-${a}-0`)];
      for (let m = 1; m < MEMBERS; m++) events.push(memberJoined(accountId, `u-${a}-${m}`, m));
      await store.append(streams.account(accountId), asNew(accountId, events), 'no_stream');
    }
    const head = await store.headPosition();
    const total = ACCOUNTS * MEMBERS;
    log(`  seeded ${total.toLocaleString('en-US')} events`);

    await membershipProjection.setup(sql);
    runner = new ProjectionRunner(store, sql, membershipProjection);
    const t0 = performance.now();
    await runner.rebuild();
    const done = await runner.waitFor(head, CAP_MS);
    const elapsed = (performance.now() - t0) / 1000;
    const position = runner.position();
    await runner.stop();
    const applied = done
      ? total
      : Number(
          (await sql.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE global_position <= $1`, [position]))
            .rows[0]?.n ?? 0,
        );
    const perSecond = applied / elapsed;
    emitRow({
      id: 'rebuild',
      figures:
        `${rate(perSecond)} events/s (${applied.toLocaleString('en-US')} events in ${elapsed.toFixed(1)} s` +
        `${done ? '' : `, stopped at the ${CAP_MS / 1000} s cap`})`,
      met: perSecond >= 50_000,
    });
  } finally {
    await runner?.stop().catch(() => undefined);
    await store.close();
    await database.drop();
  }
}
