import { Inject, Injectable, Logger } from '@nestjs/common';
import { asAccordEnvelope, type EventEnvelope } from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
import {
  MAILED_EVENT_TYPES,
  directoryLookups,
  mailsFor,
  type MailedEvent,
  type MailFacts,
} from '@accord/notification-domain';
import { ReadModelFailedError } from '@accord/projections';
import { DurableReaction, ManagedProjection, SQL_CLIENT } from '@accord/service-kit';
import { Deliveries } from './deliveries';
import {
  accountName,
  invitationRole,
  MAIL_DIRECTORY,
  mailDirectoryProjection,
  memberEmail,
  notificationProjection,
  ownerEmails,
} from './notification.projection';

/** The inbox read model (with the directory its notices quote), kept up to date while the service runs. */
export class NotificationReadModel extends ManagedProjection(notificationProjection) {}

/** The mailer's own directory read model: independent of the inbox (SEC-3d). */
export class MailDirectoryReadModel extends ManagedProjection(mailDirectoryProjection) {}

/**
 * Runs the rule `mailsFor` (notification domain): turns events into e-mails to send — invitation
 * (with its link), resend (the new link), removal (to the removed person), leaving (to the
 * owners), role change (to the member). It only queues; the delivery worker sends. The directory is read once it has
 * applied this very event, so names
 * and owners are those of that moment.
 *
 * One bad event never holds e-mail hostage (SEC-3d): the mailer reads its own directory
 * (`MailDirectoryReadModel`), never the inbox read model, so a failed inbox does not stop e-mail.
 * If the directory itself has failed, the e-mail still goes out with what it knows (a generic
 * account name or inviter at worst), rather than no e-mail for anyone. An event with no address
 * to mail cannot become an e-mail by retrying: it is logged (by id) and nothing is queued.
 */
@Injectable()
export class MailerReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly deliveries: Deliveries,
    private readonly directory: MailDirectoryReadModel,
  ) {
    super(consumer, 'notification-mailer', MAILED_EVENT_TYPES);
  }

  private readonly logger = new Logger('MailerReactor');

  async react(event: EventEnvelope): Promise<void> {
    const mailed = asAccordEnvelope(event);
    if (!mailed || !isMailed(mailed)) return;
    await this.directoryAt(event);
    const { mails, unaddressed } = mailsFor(mailed, await this.directoryFacts(mailed));
    for (let i = 0; i < unaddressed; i++) {
      this.logger.warn(
        `Event ${event.id} (${event.type}) at position ${event.globalPosition} names no e-mail address: nothing to send`,
      );
    }
    for (const mail of mails)
      await this.deliveries.enqueue({ causeEventId: event.id, accountId: event.accountId!, ...mail });
  }

  /** The directory facts the event's e-mails quote, read from the mailer's own directory. */
  private async directoryFacts(event: MailedEvent): Promise<MailFacts> {
    const accountId = event.accountId!;
    const ask = directoryLookups(event);
    return {
      accountName: await accountName(this.sql, accountId, MAIL_DIRECTORY),
      inviterEmail:
        ask.inviterId === null ? null : await memberEmail(this.sql, accountId, ask.inviterId, MAIL_DIRECTORY),
      invitationRole:
        ask.roleOfInvitation === null ? null : await invitationRole(this.sql, ask.roleOfInvitation, MAIL_DIRECTORY),
      ownerEmails: ask.owners ? await ownerEmails(this.sql, accountId, MAIL_DIRECTORY) : [],
    };
  }

  /**
   * Waits until the directory has applied `event` (names and owners of that moment). Behind: a
   * retry. Failed (stopped on a bad event): send anyway with what it holds — e-mail must not
   * depend on a read model being healthy.
   */
  private async directoryAt(event: EventEnvelope): Promise<void> {
    try {
      if (!(await this.directory.waitFor(event.globalPosition, 10_000))) throw new Error('directory behind; retry');
    } catch (error) {
      if (!(error instanceof ReadModelFailedError)) throw error;
      this.logger.warn(
        `Directory ${error.readModel} has failed: mailing for event ${event.id} (${event.type}) with the names it holds`,
      );
    }
  }
}

const MAILED: ReadonlySet<string> = new Set(MAILED_EVENT_TYPES);
const isMailed = (event: { readonly type: string }): event is MailedEvent => MAILED.has(event.type);
