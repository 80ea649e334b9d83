import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subjects, type InboxView, type MarkReadPayload } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Dispatcher } from '../dispatch/dispatcher';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';

/** The in-app inbox of the caller's (verified) e-mail address: the "new access" notice of NOT-6. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiProblems()
@Controller('v1/me/notifications')
export class NotificationsHttpController {
  constructor(private readonly dispatcher: Dispatcher) {}

  @Get()
  @ApiMinPosition()
  @ApiOkResponse({
    description: '{ unread, notifications: [{ id, kind, accountId, text, createdAt, read }] } — newest first',
  })
  @ApiOperation({ operationId: 'getInbox', summary: 'Show the caller’s in-app notifications, newest first' })
  @ApiProblems(400, 401, 403)
  inbox(@CurrentCaller() caller: Caller, @MinPosition() minPosition?: number): Promise<InboxView> {
    return this.dispatcher.query(subjects.notification.inbox, { email: verifiedEmail(caller) }, minPosition);
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
