import type { AccordEnvelope, EventEnvelope } from '@accord/contracts';
import type { EventStore, SqlClient } from '@accord/eventstore';
import type { Projection } from '../projection';
import { catchUpAndCompare, compareWithLive, type ReadModelComparison } from './compare';
import { rebuildReadModel, type RebuildOptions, type ShadowBuild } from './rebuild';
import { quoteIdent, tablesIn } from './shadow-schema';

export interface SwapOutcome {
  readonly comparison: ReadModelComparison;
  /** False when the rebuild differed and `force` was not given: the live tables are untouched. */
  readonly swapped: boolean;
}

/**
 * Replaces the live read model by the rebuild, atomically: in ONE transaction holding the live
 * checkpoint row, the shadow catches up to it and is compared; when equal, or different and
 * `force`, each live table is dropped and its rebuilt namesake moved into public (its indexes,
 * constraints and owned sequences move with it), then the emptied shadow schema is dropped —
 * RESTRICT, so a leftover object a moved table still depends on aborts everything rather than
 * being cascaded away. The checkpoint is left as it is: the shadow is at exactly that position.
 * The shadow schema is gone afterwards, swapped or not, and the build is over (its rebuild lock
 * released).
 */
export async function swapReadModel<E extends EventEnvelope>(
  sql: SqlClient,
  build: ShadowBuild<E>,
  options: { readonly force?: boolean } = {},
): Promise<SwapOutcome> {
  try {
    return await sql.transaction(async (tx) => {
      const comparison = await catchUpAndCompare(tx, build);
      if (!comparison.equal && !options.force) return { comparison, swapped: false };
      for (const table of build.tables) {
        await tx.query(`DROP TABLE IF EXISTS public.${quoteIdent(table)}`);
        await tx.query(`ALTER TABLE ${quoteIdent(build.schema)}.${quoteIdent(table)} SET SCHEMA public`);
      }
      // What stays behind: tables the rebuild does not swap (not projected).
      for (const table of await tablesIn(tx, build.schema))
        await tx.query(`DROP TABLE ${quoteIdent(build.schema)}.${quoteIdent(table)}`);
      await tx.query(`DROP SCHEMA ${quoteIdent(build.schema)} RESTRICT`);
      return { comparison, swapped: true };
    });
  } finally {
    await discardShadow(sql, build);
  }
}

/**
 * Drops the shadow schema of `build` and everything in it, then ends the build (another rebuild of
 * the projection may start). Does nothing when the build is already over: the schema may be
 * another rebuild's by then.
 */
export async function discardShadow<E extends EventEnvelope>(sql: SqlClient, build: ShadowBuild<E>): Promise<void> {
  if (!build.lock.held) return;
  try {
    await sql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(build.schema)} CASCADE`);
  } finally {
    await build.lock.release();
  }
}

/**
 * `accord projections rebuild NAME --verify`: rebuild into the shadow, compare with the live read
 * model, drop the shadow. The live read model is never changed.
 */
export async function verifyReadModel<E extends EventEnvelope = AccordEnvelope>(
  sql: SqlClient,
  store: EventStore,
  projection: Projection<E>,
  options: RebuildOptions<E> = {},
): Promise<ReadModelComparison> {
  const build = await rebuildReadModel(sql, store, projection, options);
  try {
    return await compareWithLive(sql, build);
  } finally {
    await discardShadow(sql, build);
  }
}
