import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RepeatingRound } from '@accord/service-kit';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationCommands } from './invitation.commands';
import { InvitationQueries } from './invitation.queries';

const DEFAULT_EXPIRY_CHECK_MS = 30_000;
const BATCH = 100;

/**
 * Turns "past its expiry" into the event `InvitationExpired`, so the sharer's list, consumers and
 * audit see it (not only a computed flag). Accepting checks the expiry itself, so a late tick
 * never lets an expired link through. Replicas may tick together: the decider makes the second
 * expiry of one invitation a no-op.
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

  /** Expire every invitation that is due now; returns how many it looked at. */
  async tick(): Promise<number> {
    const now = new Date().toISOString();
    const due = await this.queries.dueForExpiry(now, BATCH);
    for (const { accountId, invitationId } of due) {
      try {
        await this.commands.expire(accountId, invitationId, {
          actor: { userId: 'system', via: 'system' },
          now,
          correlationId: randomUUID(),
        });
      } catch (error) {
        this.logger.warn(`could not expire invitation ${invitationId}: ${(error as Error).name}`);
      }
    }
    return due.length;
  }
}
