import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { SqlClient } from '@accord/eventstore';
import { ProjectionRunner } from '@accord/projections';

/**
 * "Every read model equals its rebuild from the store": dump the read-model tables of each
 * projection, rebuild the projection from position 0, dump again and compare. Rows are compared
 * as JSON text in a stable order, so a difference names the table and the rows that differ.
 */
export async function readModelsThatDifferFromTheirRebuild(
  sql: SqlClient,
  runners: readonly ProjectionRunner[],
  tablesOf: (projectionName: string) => readonly string[],
  head: () => Promise<number>,
): Promise<string[]> {
  const differences: string[] = [];
  for (const runner of runners) {
    const tables = tablesOf(runner.projection.name);
    if (!(await runner.waitFor(await head(), 10_000)))
      differences.push(`${runner.projection.name}: did not catch up before the check`);
    const before = await dump(sql, tables);
    await runner.rebuild();
    if (!(await runner.waitFor(await head(), 30_000)))
      differences.push(`${runner.projection.name}: rebuild did not catch up`);
    const after = await dump(sql, tables);
    for (const table of tables) {
      const was = before.get(table) ?? [];
      const now = after.get(table) ?? [];
      const lost = was.filter((row) => !now.includes(row));
      const gained = now.filter((row) => !was.includes(row));
      if (lost.length > 0 || gained.length > 0) {
        differences.push(
          `${runner.projection.name}/${table}: live rows not rebuilt ${JSON.stringify(lost.slice(0, 3))}; rebuilt rows not live ${JSON.stringify(gained.slice(0, 3))}`,
        );
      }
    }
  }
  return differences;
}

async function dump(sql: SqlClient, tables: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const table of tables) {
    // Table names come from the spec's own list, never from input.
    const { rows } = await sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY 1`);
    out.set(
      table,
      rows.map((r) => r.row),
    );
  }
  return out;
}

/** Every ProjectionRunner provider of a Nest application (each service's read models). */
export function projectionRunnersOf(app: INestApplicationContext): ProjectionRunner[] {
  const runners: ProjectionRunner[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      if (wrapper.instance instanceof ProjectionRunner && !runners.includes(wrapper.instance))
        runners.push(wrapper.instance);
    }
  }
  return runners;
}

/**
 * The read-model tables of each projection, found by the projection's context prefix. Tables that
 * are not projections of events are left out: the outbox of e-mails (delivery bookkeeping) and the
 * tokens' last-use times (batched from requests, by design not events).
 */
export async function readModelTables(sql: SqlClient): Promise<(projectionName: string) => string[]> {
  const { rows } = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  const notProjected = new Set(['notification_deliveries', 'token_last_used', 'notification_inbox_reads']);
  const names = rows.map((r) => r.table_name).filter((t) => !notProjected.has(t));
  return (projectionName) => {
    const context = projectionName.split('.')[0]!;
    return names.filter((t) => t.startsWith(`${context}_`));
  };
}
