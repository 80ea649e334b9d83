import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
import { TOKEN_OPTIONS, type ApiTokenServiceOptions } from './api-token-options';

/**
 * "Last used" in batches, not an event per use: verifications note the time in memory and a timer
 * writes the batch with one statement. The upsert never moves a time backwards (replicas flush
 * independently); a failed write is retried with the next batch. A crash loses at most one batch
 * of last-used times — nothing else.
 */
@Injectable()
export class LastUsedRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LastUsedRecorder.name);
  private pending = new Map<string, string>();
  /** The batch being written, still shown by `unflushed` until it is in the table. */
  private flushing: ReadonlyMap<string, string> = new Map();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TOKEN_OPTIONS) private readonly options: ApiTokenServiceOptions,
  ) {}

  record(tokenId: string, at: string): void {
    this.pending.set(tokenId, at);
  }

  /** Unflushed times, so a list shows a use made a moment ago. */
  unflushed(tokenId: string): string | undefined {
    return this.pending.get(tokenId) ?? this.flushing.get(tokenId);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.flush().catch((e: Error) => this.logger.warn(`last-used flush failed: ${e.name}`)),
      this.options.lastUsedFlushMs ?? 10_000,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = batch;
    try {
      await this.write(batch);
    } catch (error) {
      // Keep the batch for the next flush (a newer time recorded meanwhile wins; ISO strings sort).
      for (const [tokenId, at] of batch) {
        const newer = this.pending.get(tokenId);
        if (newer === undefined || newer < at) this.pending.set(tokenId, at);
      }
      throw error;
    } finally {
      if (this.flushing === batch) this.flushing = new Map();
    }
  }

  private async write(batch: ReadonlyMap<string, string>): Promise<void> {
    await this.sql.query(
      `INSERT INTO token_last_used (token_id, last_used_at)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
       ON CONFLICT (token_id) DO UPDATE SET last_used_at = GREATEST(token_last_used.last_used_at, EXCLUDED.last_used_at)`,
      [[...batch.keys()], [...batch.values()]],
    );
  }
}
