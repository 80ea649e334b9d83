import { Inject, Injectable } from '@nestjs/common';
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
import { DurableReaction, ManagedProjection, SQL_CLIENT } from '@accord/runtime';
import { Deliveries } from './deliveries';
import { accountName, invitationRole, memberEmail, notificationProjection, ownerEmails } from './notification.projection';

/** The directory and inbox read model, kept up to date while the service runs. */
export class NotificationReadModel extends ManagedProjection(notificationProjection) {}

/**
 * Turns events into e-mails to send: invitation (with its link), resend (the new link), removal
 * (to the removed person), leaving (to the owners), role change (to the member). It only queues;
 * the delivery worker sends. The directory is read once it has applied this very event, so names
 * and owners are those of that moment.
 */
@Injectable()
export class MailerReactor extends DurableReaction {
  constructor(
    @Inject(EVENT_CONSUMER) consumer: EventConsumer,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly deliveries: Deliveries,
    private readonly directory: NotificationReadModel,
  ) {
    super(consumer, 'notification-mailer', ['AccessShared', 'InvitationResent', 'MemberRemoved', 'MemberLeft', 'RoleChanged']);
  }

  async react(event: EventEnvelope): Promise<void> {
    if (!(await this.directory.waitFor(event.globalPosition, 10_000))) throw new Error('directory behind; retry');
    const accountId = event.accountId!;
    const base = { causeEventId: event.id, accountId };
    const name = await accountName(this.sql, accountId);
    switch (event.type) {
      case 'AccessShared': {
        const d = event.data as AccessSharedData;
        const inviterEmail = await memberEmail(this.sql, accountId, d.sharedBy);
        for (const r of d.recipients) {
          const context = { accountName: name, inviterEmail, role: d.role, message: d.message, expiresAt: d.expiresAt };
          await this.deliveries.enqueue({ ...base, recipient: r.email, kind: 'invitation', context, linkNonce: r.link.nonce });
        }
        return;
      }
      case 'InvitationResent': {
        const d = event.data as InvitationResentData;
        const inviterEmail = await memberEmail(this.sql, accountId, d.resentBy);
        const context = { accountName: name, inviterEmail, role: await invitationRole(this.sql, d.invitationId), expiresAt: d.expiresAt };
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'invitation_resent', context, linkNonce: d.link.nonce });
      }
      case 'MemberRemoved': {
        const d = event.data as MemberRemovedData;
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'member_removed', context: { accountName: name }, linkNonce: null });
      }
      case 'MemberLeft': {
        const d = event.data as MemberLeftData;
        for (const owner of await ownerEmails(this.sql, accountId)) {
          await this.deliveries.enqueue({ ...base, recipient: owner, kind: 'member_left', context: { accountName: name, memberEmail: d.email }, linkNonce: null });
        }
        return;
      }
      case 'RoleChanged': {
        const d = event.data as RoleChangedData;
        const context = { accountName: name, previousRole: d.from, role: d.to };
        return this.deliveries.enqueue({ ...base, recipient: d.email, kind: 'role_changed', context, linkNonce: null });
      }
    }
  }
}
