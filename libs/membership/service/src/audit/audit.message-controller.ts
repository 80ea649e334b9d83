import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  subjects,
  type AuditEventsPage,
  type AuditEventsPayload,
  type AuditLogPage,
  type AuditLogPayload,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { Handles } from '@accord/messaging';
import { EVENT_STORE, toReply } from '@accord/service-kit';
import { auditEventsPage, auditLogPage } from './audit-log';
import { auditEventsPayload, auditLogPayload } from './audit-payloads';

/**
 * The account owner's audit log. Like the service's other queries these carry no caller: the
 * gateway lets only owners ask (and no impersonator), as it does for the member list. Answers come
 * from the event store, which is never behind, so `minPosition` needs no waiting.
 */
@Controller()
export class AuditMessageController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Handles(subjects.membership.auditLog)
  auditLog(@Payload() request: QueryRequest<AuditLogPayload>): Promise<Reply<AuditLogPage>> {
    return toReply(() => auditLogPage(this.store, auditLogPayload(request.payload)));
  }

  @Handles(subjects.membership.auditEvents)
  auditEvents(@Payload() request: QueryRequest<AuditEventsPayload>): Promise<Reply<AuditEventsPage>> {
    return toReply(() => auditEventsPage(this.store, auditEventsPayload(request.payload)));
  }
}
