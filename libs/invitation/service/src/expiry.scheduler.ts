import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@accord/contracts';
import { RepeatingRound } from '@accord/service-kit';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationCommands } from './invitation.commands';
import { InvitationQueries } from './invitation.queries';

const DEFAULT_EXPIRY_CHECK_MS = 30_000;
const BATCH = 100;

/**
 * Turns "time has passed" into events others can see, not only a computed flag:
 * - INV-18: an invitation past its link's expiry → `InvitationExpired`;
 * - INV-29: a live access past its end date → `AccessExpired` (its unsettled invitations revoked,
 *   and by the membership service's reaction its members removed).
 * Accepting and adding recipients check the time themselves, so a late round never lets anyone in.
 * Replicas may run rounds together: the decider makes a second expiry a no-op.
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private readonly rounds = new RepeatingRound(
    'expiry check',
    () => this.tick(),
    (line) => this.logger.warn(line),
  );

  constructor(
    @Inject(INVITATION_OPTIONS) private readonly options: InvitationServiceOptions,
    private readonly queries: InvitationQueries,
    private readonly commands: InvitationCommands,
  ) {}

  onApplicationBootstrap() {
    this.rounds.start(this.options.expiryCheckMs ?? DEFAULT_EXPIRY_CHECK_MS);
  }

  async onApplicationShutdown() {
    await this.rounds.stop();
  }

  /** Expire every invitation and every access that is due now; returns how many it looked at. */
  async tick(): Promise<number> {
    const now = (this.options.clock?.() ?? new Date()).toISOString();
    const invitations = await this.queries.dueForExpiry(now, BATCH);
    for (const { accountId, invitationId } of invitations)
      await this.settle(
        `invitation ${invitationId}`,
        (meta) => this.commands.expire(accountId, invitationId, meta),
        now,
      );
    const accesses = await this.queries.accessesDueToEnd(now, BATCH);
    for (const { accountId, accessId } of accesses)
      await this.settle(`access ${accessId}`, (meta) => this.commands.expireAccess(accountId, accessId, meta), now);
    return invitations.length + accesses.length;
  }

  /** One expiry, by the system; a failure is logged and retried next round, the others go on. */
  private async settle(what: string, expire: (meta: CommandMetadata) => Promise<unknown>, now: string) {
    try {
      await expire({ actor: { userId: 'system', via: 'system' }, now, correlationId: randomUUID() });
    } catch (error) {
      this.logger.warn(`could not expire ${what}: ${(error as Error).name}`);
    }
  }
}
