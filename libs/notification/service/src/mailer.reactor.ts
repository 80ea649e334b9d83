import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  AccessSharedData,
  EventEnvelope,
  InvitationResentData,
  MemberLeftData,
  MemberRemovedData,
  RoleChangedData,
} from '@accord/contracts';
import type { SqlClient } from '@accord/eventstore';
import { EVENT_CONSUMER, type EventConsumer } from '@accord/messaging';
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

/** The mailer's own directory read model: independent of the inbox (issue 8, rule 3). */
export class MailDirectoryReadModel extends ManagedProjection(mailDirectoryProjection) {}

/**
 * Turns events into e-mails to send: invitation (with its link), resend (the new link), removal
 * (to the removed person), leaving (to the owners), role change (to the member). It only queues;
 * the delivery worker sends. The directory is read once it has applied this very event, so names
 * and owners are those of that moment.
 *
 * One bad event never holds e-mail hostage (issue 8, rule 3): the mailer reads its own directory
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
    super(consumer, 'notification-mailer', ['AccessShared', 'InvitationResent', 'MemberRemoved', 'MemberLeft', 'RoleChanged']);
  }

  private readonly logger = new Logger('MailerReactor');

  async react(event: EventEnvelope): Promise<void> {
    await this.directoryAt(event);
    const accountId = event.accountId!;
    const base = { causeEventId: event.id, accountId };
    const name = await accountName(this.sql, accountId, MAIL_DIRECTORY);
    switch (event.type) {
      case 'AccessShared': {
        const d = event.data as AccessSharedData;
        const inviterEmail = await memberEmail(this.sql, accountId, d.sharedBy, MAIL_DIRECTORY);
        for (const r of d.recipients ?? []) {
          if (!this.mailable(event, r?.email)) continue;
          const context = { accountName: name, inviterEmail, role: d.role, message: d.message, expiresAt: d.expiresAt };
          await this.deliveries.enqueue({ ...base, recipient: r.email, kind: 'invitation', context, linkNonce: r.link.nonce });
        }
        return;
      }
      case 'InvitationResent': {
        const d = event.data as InvitationResentData;
        if (!this.mailable(event, d.email)) return;
        const inviterEmail = await memberEmail(this.sql, accountId, d.resentBy, MAIL_DIRECTORY);
        const context = { accountName: name, inviterEmail, role: await invitationRole(this.sql, d.invitationId, MAIL_DIRECTORY), expiresAt: d.expiresAt };
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'invitation_resent', context, linkNonce: d.link.nonce });
      }
      case 'MemberRemoved': {
        const d = event.data as MemberRemovedData;
        if (!this.mailable(event, d.email)) return;
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'member_removed', context: { accountName: name }, linkNonce: null });
      }
      case 'MemberLeft': {
        const d = event.data as MemberLeftData;
        for (const owner of await ownerEmails(this.sql, accountId, MAIL_DIRECTORY)) {
          await this.deliveries.enqueue({ ...base, recipient: owner, kind: 'member_left', context: { accountName: name, memberEmail: d.email }, linkNonce: null });
        }
        return;
      }
      case 'RoleChanged': {
        const d = event.data as RoleChangedData;
        if (!this.mailable(event, d.email)) return;
        const context = { accountName: name, previousRole: d.from, role: d.to };
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'role_changed', context, linkNonce: null });
      }
    }
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
      this.logger.warn(`Directory ${error.readModel} has failed: mailing for event ${event.id} (${event.type}) with the names it holds`);
    }
  }

  /** False (logged by event id, without data) when there is no address to mail. */
  private mailable(event: EventEnvelope, email: unknown): email is string {
    if (typeof email === 'string' && email.includes('@')) return true;
    this.logger.warn(`Event ${event.id} (${event.type}) at position ${event.globalPosition} names no e-mail address: nothing to send`);
    return false;
  }
}
