import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RepeatingRound } from '@accord/service-kit';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationCommands } from './invitation.commands';
import { InvitationQueries } from './invitation.queries';

const DEFAULT_EXPIRY_CHECK_MS = 30_000;
const BATCH = 100;

/**
 * INV-29: turns "past its end date" into the event `AccessExpired`, which revokes the access's
 * unsettled invitations and (by the membership service's reaction) removes the members who joined
 * through it. Accepting and adding recipients check the end themselves, so a late tick never lets
 * anyone in after it. Replicas may tick together: the decider makes a second expiry a no-op.
 */
@Injectable()
export class AccessExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccessExpiryScheduler.name);
  private readonly rounds = new RepeatingRound(
    'access expiry check',
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

  /** Expire every access whose end is due now; returns how many it looked at. */
  async tick(): Promise<number> {
    const now = (this.options.clock?.() ?? new Date()).toISOString();
    const due = await this.queries.accessesDueToEnd(now, BATCH);
    for (const { accountId, accessId } of due) {
      try {
        await this.commands.expireAccess(accountId, accessId, {
          actor: { userId: 'system', via: 'system' },
          now,
          correlationId: randomUUID(),
        });
      } catch (error) {
        this.logger.warn(`could not expire access ${accessId}: ${(error as Error).name}`);
      }
    }
    return due.length;
  }
}
