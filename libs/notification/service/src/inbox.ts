import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  invalid,
  normalizeEmail,
  notFound,
  pageOf,
  pageRequestOf,
  subjects,
  type CommandRequest,
  type InboxNotificationView,
  type InboxPayload,
  type InboxView,
  LIMITS,
  type MarkAllReadPayload,
  type MarkAllReadResult,
  type MarkReadPayload,
  type MarkReadResult,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import { Handles } from '@accord/messaging';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT, awaitPosition, instantKey, toReply } from '@accord/service-kit';
import { NotificationReadModel } from './mailer.reactor';
import { requireUuid } from './payload-checks';

/** The inbox's address from a payload (NATS callers skip the gateway's checks). */
function requireEmail(payload: unknown): string {
  const email = (typeof payload === 'object' && payload !== null ? payload : {}) as { email?: unknown };
  if (typeof email.email !== 'string' || email.email.length === 0 || email.email.length > LIMITS.email)
    throw invalid('email', 'request.invalid', 'email must be an e-mail address.');
  return email.email;
}

/** The in-app inbox: newest first with the unread count; marking read is the owner's alone. */
@Controller()
export class InboxMessageController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly readModel: NotificationReadModel,
  ) {}

  /**
   * One page of the inbox, newest first: a keyset over (created_at, notice_id), both immutable,
   * running backwards. A notice that arrives while the pages are read sorts before the cursor and
   * is not shown until the inbox is read again from the start; none already listed moves. A notice
   * marked read between pages is shown as it is when its page is read (with `unread=true` it drops
   * out, and no other notice moves for it).
   */
  @Handles(subjects.notification.inbox)
  inbox(@Payload() request: QueryRequest<InboxPayload>): Promise<Reply<InboxView>> {
    return toReply(async () => {
      const payload = request.payload;
      const email = normalizeEmail(requireEmail(payload));
      const page = pageRequestOf(payload, ['instant', 'uuid']);
      const onlyUnread = payload.unread;
      if (onlyUnread !== undefined && typeof onlyUnread !== 'boolean')
        throw invalid('unread', 'request.invalid', 'unread must be a boolean.');
      await awaitPosition(this.readModel, request.minPosition);
      const [at, id] = page.after ?? [null, null];
      const { rows } = await this.sql.query<{
        notice_id: string;
        kind: InboxNotificationView['kind'];
        account_id: string;
        text: string;
        created_at: Date | string;
        read: boolean;
        k: string;
      }>(
        `SELECT i.*, (r.notice_id IS NOT NULL) AS read, ${instantKey('i.created_at')} AS k
           FROM notification_inbox i
           LEFT JOIN notification_inbox_reads r ON r.notice_id = i.notice_id AND r.email_normalized = i.email_normalized
          WHERE i.email_normalized = $1 AND (NOT $2::boolean OR r.notice_id IS NULL)
            AND ($3::timestamptz IS NULL OR (i.created_at, i.notice_id) < ($3::timestamptz, $4::uuid))
          ORDER BY i.created_at DESC, i.notice_id DESC LIMIT $5`,
        [email, onlyUnread === true, at, id, page.limit + 1],
      );
      const notifications = pageOf(
        rows,
        page.limit,
        (r) => [r.k, r.notice_id],
        (r) => ({
          id: r.notice_id,
          kind: r.kind,
          accountId: r.account_id,
          text: r.text,
          createdAt: new Date(r.created_at).toISOString(),
          read: r.read,
        }),
      );
      // Counted over the whole inbox, not just the page shown.
      const unread = await this.sql.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM notification_inbox i
          WHERE i.email_normalized = $1
            AND NOT EXISTS (SELECT 1 FROM notification_inbox_reads r WHERE r.notice_id = i.notice_id AND r.email_normalized = i.email_normalized)`,
        [email],
      );
      return { ...notifications, unread: Number(unread.rows[0]!.n) };
    });
  }

  @Handles(subjects.notification.markRead)
  markRead(@Payload() request: CommandRequest<MarkReadPayload>): Promise<Reply<MarkReadResult>> {
    return toReply(async () => {
      const email = normalizeEmail(requireEmail(request.payload));
      const notificationId = requireUuid(request.payload.notificationId, 'notificationId');
      const { rows } = await this.sql.query(
        `SELECT 1 FROM notification_inbox WHERE notice_id = $1 AND email_normalized = $2`,
        [notificationId, email],
      );
      if (rows.length === 0) throw notFound('notification.not_found', 'No such notification.');
      await this.sql.query(
        `INSERT INTO notification_inbox_reads (notice_id, email_normalized) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [notificationId, email],
      );
      return { read: true as const };
    });
  }

  /** Every notification of the inbox read at once; again, it marks nothing more. */
  @Handles(subjects.notification.markAllRead)
  markAllRead(@Payload() request: CommandRequest<MarkAllReadPayload>): Promise<Reply<MarkAllReadResult>> {
    return toReply(async () => {
      const email = normalizeEmail(requireEmail(request.payload));
      const { rows } = await this.sql.query(
        `INSERT INTO notification_inbox_reads (notice_id, email_normalized)
           SELECT notice_id, email_normalized FROM notification_inbox WHERE email_normalized = $1
         ON CONFLICT DO NOTHING RETURNING notice_id`,
        [email],
      );
      return { marked: rows.length };
    });
  }
}
