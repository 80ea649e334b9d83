import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  subjects,
  type InboxNotificationView,
  type InboxPayload,
  type MarkAllReadPayload,
  type MarkAllReadResult,
  type MarkReadPayload,
} from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { ApiPage, Paged, oneOfQueryValue, type PageBody, type Paging } from '../http/pagination';
import { PathId } from '../http/path-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';

/** Newest first: the keyset runs backwards over (created at, notification id). */
const NOTIFICATION_LIST = { name: 'notifications', key: ['instant', 'uuid'] } as const;

export class InboxNotificationDoc implements InboxNotificationView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ enum: ['access_shared', 'member_removed', 'role_changed', 'access_expired'] })
  readonly kind!: InboxNotificationView['kind'];
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({ description: 'e.g. "Olivia shared access to Acme with you (administrator)."' }) readonly text!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty() readonly read!: boolean;
}

export class MarkAllReadDoc implements MarkAllReadResult {
  @ApiProperty({ description: 'How many notifications were unread until now (0 when called again)' })
  readonly marked!: number;
}

/** The in-app inbox of the caller's (verified) e-mail address: the "new access" notice of NOT-6. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1/me/notifications')
export class NotificationsHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  /** Newest first, with the unread count of the whole inbox; `unread=true` shows only unread ones. */
  @Get()
  @ApiMinPosition()
  @ApiQuery({
    name: 'unread',
    required: false,
    schema: { type: 'string', enum: ['true', 'false'] },
    description: 'Only unread notifications',
  })
  @ApiPage(InboxNotificationDoc, 'NotificationPage', {
    description: 'One page, newest first',
    extra: { unread: { type: Number, description: 'Unread notifications in the whole inbox, not just this page' } },
  })
  @ApiOperation({ operationId: 'getInbox', summary: 'Show the caller’s in-app notifications, newest first' })
  @ApiProblems(400, 401, 403)
  async inbox(
    @Paged(NOTIFICATION_LIST) paging: Paging,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<PageBody<InboxNotificationView> & { readonly unread: number }> {
    const unread = oneOfQueryValue(paging.query, 'unread', ['true', 'false'] as const);
    const payload: InboxPayload = {
      email: verifiedEmail(caller),
      limit: paging.limit,
      ...(paging.after ? { after: paging.after } : {}),
      ...(unread === 'true' ? { unread: true } : {}),
    };
    const { unread: count, ...page } = await this.dispatcher.query(subjects.notification.inbox, payload, minPosition);
    return { ...paging.answer(page), unread: count };
  }

  /** The bell's "mark all as read": one request, however long the inbox. */
  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkAllReadDoc })
  @ApiOperation({ operationId: 'markAllNotificationsRead', summary: 'Mark every notification of the inbox as read' })
  @ApiProblems(400, 401, 403, 409, 422)
  markAllRead(@CurrentCaller() caller: Caller): Promise<MarkAllReadResult> {
    const payload: MarkAllReadPayload = { email: verifiedEmail(caller) };
    return this.dispatcher.command(subjects.notification.markAllRead, payload, caller);
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @ApiOperation({ operationId: 'markNotificationRead', summary: 'Mark a notification as read' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  markRead(
    @Param('notificationId', new PathId('notification')) notificationId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<{ read: true }> {
    const payload: MarkReadPayload = { email: verifiedEmail(caller), notificationId };
    return this.dispatcher.command(subjects.notification.markRead, payload, caller);
  }
}

/** Notices are addressed by e-mail: an unverified address proves nothing. */
function verifiedEmail(caller: Caller): string {
  if (!caller.person.emailVerified) {
    throw new GatewayError({
      kind: 'forbidden',
      code: 'email.unverified',
      message: 'verify your e-mail address to see notifications sent to it',
    });
  }
  return caller.person.email;
}
