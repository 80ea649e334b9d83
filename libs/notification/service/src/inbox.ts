import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  normalizeEmail,
  notFound,
  subjects,
  type CommandRequest,
  type InboxNotificationView,
  type InboxPayload,
  type InboxView,
  type MarkReadPayload,
  type MarkReadResult,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import { Handles } from '@accord/messaging';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT, awaitPosition, toReply } from '@accord/service-kit';
import { NotificationReadModel } from './mailer.reactor';

/** The in-app inbox: newest first with the unread count; marking read is the owner's alone. */
@Controller()
export class InboxMessageController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly readModel: NotificationReadModel,
  ) {}

  @Handles(subjects.notification.inbox)
  inbox(@Payload() request: QueryRequest<InboxPayload>): Promise<Reply<InboxView>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      const { rows } = await this.sql.query<{
        notice_id: string;
        kind: InboxNotificationView['kind'];
        account_id: string;
        text: string;
        created_at: Date | string;
        read: boolean;
      }>(
        `SELECT i.*, (r.notice_id IS NOT NULL) AS read
           FROM notification_inbox i
           LEFT JOIN notification_inbox_reads r ON r.notice_id = i.notice_id AND r.email_normalized = i.email_normalized
          WHERE i.email_normalized = $1 ORDER BY i.created_at DESC, i.notice_id LIMIT 200`,
        [normalizeEmail(request.payload.email)],
      );
      const notifications = rows.map((r) => ({
        id: r.notice_id,
        kind: r.kind,
        accountId: r.account_id,
        text: r.text,
        createdAt: new Date(r.created_at).toISOString(),
        read: r.read,
      }));
      // Counted over the whole inbox, not just the newest 200 shown.
      const unread = await this.sql.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM notification_inbox i
          WHERE i.email_normalized = $1
            AND NOT EXISTS (SELECT 1 FROM notification_inbox_reads r WHERE r.notice_id = i.notice_id AND r.email_normalized = i.email_normalized)`,
        [normalizeEmail(request.payload.email)],
      );
      return { unread: Number(unread.rows[0]!.n), notifications };
    });
  }

  @Handles(subjects.notification.markRead)
  markRead(@Payload() request: CommandRequest<MarkReadPayload>): Promise<Reply<MarkReadResult>> {
    return toReply(async () => {
      const email = normalizeEmail(request.payload.email);
      const { rows } = await this.sql.query(
        `SELECT 1 FROM notification_inbox WHERE notice_id = $1 AND email_normalized = $2`,
        [request.payload.notificationId, email],
      );
      if (rows.length === 0) throw notFound('notification.not_found', 'No such notification.');
      await this.sql.query(
        `INSERT INTO notification_inbox_reads (notice_id, email_normalized) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [request.payload.notificationId, email],
      );
      return { read: true as const };
    });
  }
}
