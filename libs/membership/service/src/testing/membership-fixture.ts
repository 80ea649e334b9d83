import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  subjects,
  type AddMemberPayload,
  type ChangeMemberPayload,
  type CommandRequest,
  type CommandSubject,
  type CreateAccountPayload,
  type CreateBillingAccountPayload,
  type PayloadOf,
  type ResultOf,
  type Role,
  type Scope,
} from '@accord/contracts';
import type { EventStore, SqlClient } from '@accord/eventstore';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer, type RequestClient } from '@accord/messaging';
import { ServicesRootModule } from '@accord/service-kit';
// Specs of other services and of the ops CLI run the real membership service beside them, as the
// platform composes them, so every fact comes from real events (no mock port).
import { MembershipServiceModule } from '../membership-service.module';
import { MembershipReadModel } from '../membership.projection-runner';

/** A membership service on its own in-process bus (a separate service, as in the services profile). */
export async function startMembershipService(store: EventStore, sql: SqlClient, logger: LoggerService | false = false) {
  const transport = new InProcessTransport();
  const requests = new InProcessRequestClient(transport);
  const app: INestMicroservice = await NestFactory.createMicroservice(
    ServicesRootModule.forRoot({ store, sql, consumer: new StoreEventConsumer({ store, sql }), requests }, [
      MembershipServiceModule,
    ]),
    { strategy: transport, logger },
  );
  await app.listen();
  const members = new Members(requests);
  /** True once the membership read model has applied everything written through `members`. */
  const readModelCaughtUp = () => app.get(MembershipReadModel).waitFor(members.position, 10_000);
  return { app, requests, members, readModelCaughtUp };
}

type MembershipCommand = Extract<CommandSubject, `accord.cmd.membership.${string}`>;

/** Drives the membership service through its subjects, like the gateway and the invitation reaction do. */
export class Members {
  /** The newest store position written here: pass it as `minPosition` to read what was written. */
  position = 0;

  constructor(private readonly client: RequestClient) {}

  /** A new account whose root owner is `ownerId`. */
  async account(ownerId = 'u-owner'): Promise<string> {
    const payload: CreateAccountPayload = { name: 'Acme', owner: { userId: ownerId, email: `${ownerId}@example.com` } };
    return (await this.send(subjects.membership.createAccount, payload, ownerId)).id;
  }

  async billingAccount(accountId: string, by = 'u-owner'): Promise<string> {
    const payload: CreateBillingAccountPayload = { accountId, name: 'EU' };
    return (await this.send(subjects.membership.createBillingAccount, payload, by)).id;
  }

  /** What an accepted invitation does: the user joins with a role and a scope. */
  async join(
    accountId: string,
    userId: string,
    role: Role = 'administrator',
    scope: Scope = { type: 'global' },
  ): Promise<void> {
    const payload: AddMemberPayload = {
      accountId,
      userId,
      email: `${userId}@example.com`,
      role,
      scope,
      accessId: randomUUID(),
      invitationId: randomUUID(),
    };
    await this.send(subjects.membership.addMember, payload, 'system');
  }

  async change(
    accountId: string,
    userId: string,
    changes: Omit<ChangeMemberPayload, 'accountId' | 'userId'>,
    by = 'u-owner',
  ): Promise<void> {
    await this.send(subjects.membership.changeMember, { accountId, userId, ...changes }, by);
  }

  async remove(accountId: string, userId: string, by = 'u-owner'): Promise<void> {
    await this.send(subjects.membership.removeMember, { accountId, userId }, by);
  }

  async leave(accountId: string, userId: string): Promise<void> {
    await this.send(subjects.membership.leaveAccount, { accountId }, userId);
  }

  private async send<S extends MembershipCommand>(
    subject: S,
    payload: PayloadOf<S>,
    userId: string,
  ): Promise<ResultOf<S>> {
    const request: CommandRequest<PayloadOf<S>> = {
      metadata: { actor: { userId, via: 'session' }, now: new Date().toISOString(), correlationId: randomUUID() },
      payload,
    };
    const reply = await this.client.send(subject, request);
    if (!reply.ok) throw new Error(`${subject}: ${reply.error.code}`);
    this.position = Math.max(this.position, reply.value.position);
    return reply.value;
  }
}
