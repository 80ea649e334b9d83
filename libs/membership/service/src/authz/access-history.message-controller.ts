import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  LIMITS,
  invalid,
  isIsoInstant,
  isUuid,
  notFound,
  streams,
  subjects,
  type AccessAtAnswer,
  type AccessHistoryPayload,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { Handles } from '@accord/messaging';
import { accessAt } from '@accord/membership-domain';
import { EVENT_STORE, toReply } from '@accord/service-kit';
import { fieldsOf, stringField, validUserId } from '../payloads';

/**
 * "Who could do X at time T": the account's own stream, read from the store, replayed
 * by the domain's `accessAt` up to the instant asked. The store is the truth here, not a read
 * model: the answer is never stale and needs no `minPosition`.
 */
@Controller()
export class AccessHistoryMessageController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Handles(subjects.membership.accessHistory)
  accessHistory(@Payload() request: QueryRequest<AccessHistoryPayload>): Promise<Reply<AccessAtAnswer>> {
    return toReply(async () => {
      const { accountId, ...query } = accessHistoryPayload(request.payload);
      const events = await this.store.readStream(streams.account(accountId));
      if (events.length === 0) throw notFound('account.not_found', 'No such account.');
      return accessAt(events, query);
    });
  }
}

/** The question rebuilt from checked fields: a NATS payload can carry anything. */
export function accessHistoryPayload(payload: unknown): AccessHistoryPayload {
  const p = fieldsOf(payload);
  const accountId = stringField(p, 'accountId', 'account.id_invalid');
  // An id that is no UUID names no account: the same 404 as an unknown one.
  if (!isUuid(accountId)) throw notFound('account.not_found', 'No such account.');
  const userId = validUserId(p['userId']);
  const permission = stringField(p, 'permission', 'permission.invalid');
  if (permission.length === 0 || permission.length > LIMITS.permission) {
    throw invalid('permission', 'permission.invalid', `A permission has 1 to ${LIMITS.permission} characters.`);
  }
  const at = p['at'];
  if (!isIsoInstant(at)) {
    throw invalid('at', 'at.invalid', 'at is an ISO-8601 date and time with a zone, e.g. 2030-01-31T09:00:00Z.');
  }
  const billingAccountId = p['billingAccountId'];
  if (billingAccountId !== undefined && (typeof billingAccountId !== 'string' || !isUuid(billingAccountId))) {
    throw invalid('billingAccountId', 'billing_account.id_invalid', 'A billing account id is a UUID.');
  }
  return {
    accountId: accountId.toLowerCase(),
    userId,
    permission,
    at,
    // As given, as the live check takes it: the same question gets the same answer.
    ...(billingAccountId !== undefined ? { billingAccountId } : {}),
  };
}
