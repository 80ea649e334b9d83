import { randomBytes } from 'node:crypto';
import { asAccordEnvelope, type AccordEnvelope } from '@accord/contracts';
import { createSqlClient, dropDatabase, ensureDatabase, PostgresEventStore, type SqlClient } from '@accord/eventstore';
import { ApiTokenServiceModule } from '@accord/api-token-service';
import { InvitationServiceModule } from '@accord/invitation-service';
import { MembershipServiceModule } from '@accord/membership-service';
import { NotificationServiceModule } from '@accord/notification-service';
import { applyInOrder, ProjectionRunner, type Projection } from '@accord/projections';
import { examples, type CheckOutcome } from './check';

/** As the runner applies them: a store page per transaction (applyBatch when offered). */
const EVENTS_PER_READ = 500;

/**
 * Every SQL read model of the services, found as the ProjectionRunner providers of their Nest
 * modules (the same classes the processes run), so a projection added later is checked too.
 */
export function serviceProjections(): Projection[] {
  const modules = [
    { providers: Reflect.getMetadata('providers', MembershipServiceModule) as unknown[] | undefined },
    InvitationServiceModule.forRoot({} as never),
    ApiTokenServiceModule.forRoot({}),
    NotificationServiceModule.forRoot({} as never),
  ];
  const projections: Projection[] = [];
  for (const module of modules) {
    for (const provider of module.providers ?? []) {
      if (typeof provider !== 'function' || !(provider.prototype instanceof ProjectionRunner)) continue;
      // A ManagedProjection only keeps what it is given: no store or SQL client is touched here.
      const Runner = provider as new (store: null, sql: null) => ProjectionRunner;
      const projection = new Runner(null, null).projection as Projection;
      if (!projections.some((p) => p.name === projection.name)) projections.push(projection);
    }
  }
  return projections;
}

/**
 * Every SQL read model of the live database equals its rebuild from the store. Each projection is
 * set up in a SCRATCH database on the same server and fed every stored event from position 0, the
 * way its runner feeds it (types it reads, `asAccordEnvelope`, batches in one transaction), then
 * each of its tables is compared with the live one (rows as JSON text, sorted). The live database is
 * only read: its read models and checkpoints are left alone. Counts: `projections`, `tables`,
 * `differing` (tables whose content differs from their rebuild).
 */
export async function readModelsEqualRebuild(
  databaseUrl: string,
  projections: readonly Projection[] = serviceProjections(),
): Promise<CheckOutcome> {
  const live = await createSqlClient({ databaseUrl, poolSize: 2 });
  const scratchUrl = new URL(databaseUrl);
  scratchUrl.pathname = `/drill_rebuild_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(scratchUrl.toString());
  const scratch = await createSqlClient({ databaseUrl: scratchUrl.toString(), poolSize: 2 });
  try {
    const tablesOf = new Map<string, string[]>();
    for (const projection of projections) {
      const before = new Set(await tableNames(scratch));
      await projection.setup(scratch);
      tablesOf.set(
        projection.name,
        (await tableNames(scratch)).filter((t) => !before.has(t)),
      );
    }
    await replay(live, scratch, projections);

    const differing: string[] = [];
    let tables = 0;
    for (const projection of projections) {
      for (const table of tablesOf.get(projection.name) ?? []) {
        tables += 1;
        const liveRows = await dump(live, table);
        const rebuilt = await dump(scratch, table);
        if (liveRows === null) {
          differing.push(`${projection.name}/${table}: no such table in the live database`);
          continue;
        }
        const liveSet = new Set(liveRows);
        const rebuiltSet = new Set(rebuilt ?? []);
        const notRebuilt = liveRows.filter((row) => !rebuiltSet.has(row));
        const notLive = (rebuilt ?? []).filter((row) => !liveSet.has(row));
        if (notRebuilt.length > 0 || notLive.length > 0 || liveRows.length !== (rebuilt ?? []).length) {
          differing.push(
            `${projection.name}/${table}: ${liveRows.length} live rows, ${rebuilt?.length ?? 0} rebuilt; ` +
              `live not rebuilt [${examples(notRebuilt, (r) => r, 2)}]; rebuilt not live [${examples(notLive, (r) => r, 2)}]`,
          );
        }
      }
    }
    return {
      check: 'read models equal their rebuild',
      failures:
        differing.length > 0
          ? [`${differing.length} read-model tables differ from a rebuild: ${differing.join(' | ')}`]
          : [],
      counts: { projections: projections.length, tables, differing: differing.length },
    };
  } finally {
    await scratch.close().catch(() => undefined);
    await live.close().catch(() => undefined);
    await dropDatabase(scratchUrl.toString()).catch(() => undefined);
  }
}

/** Every live event, in global order (as the store reads it), into every projection on the scratch database. */
async function replay(live: SqlClient, scratch: SqlClient, projections: readonly Projection[]): Promise<void> {
  const store = new PostgresEventStore(live);
  const types = projections.map((p) => new Set<string>(p.types));
  for (let after = 0; ;) {
    const envelopes = await store.readAll(after, EVENTS_PER_READ);
    const last = envelopes.at(-1);
    if (!last) return;
    after = last.globalPosition;
    for (const [index, projection] of projections.entries()) {
      const reads = envelopes
        .filter((e) => types[index]!.has(e.type))
        .map((e) => asAccordEnvelope(e))
        .filter((e): e is AccordEnvelope => e !== null);
      if (reads.length > 0) await scratch.transaction((tx) => applyInOrder(projection, tx, reads));
    }
  }
}

async function tableNames(sql: SqlClient): Promise<string[]> {
  const { rows } = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** The rows as JSON text in a stable order, or null when the table does not exist. */
async function dump(sql: SqlClient, table: string): Promise<string[] | null> {
  const { rows: exists } = await sql.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  if (exists[0]?.n !== '1') return null;
  // The name comes from information_schema of the scratch database, quoted as an identifier.
  const quoted = `"${table.replace(/"/g, '""')}"`;
  const { rows } = await sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${quoted} t ORDER BY 1`);
  return rows.map((r) => r.row);
}
