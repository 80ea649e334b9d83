import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import {
  ok,
  subjects,
  type AccountView,
  type AccountsOfUserPayload,
  type CommandRequest,
  type MemberRefPayload,
  type Page,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import { Handles } from './handles';
import { InProcessRequestClient } from './in-process-request-client';
import { InProcessTransport } from './in-process-transport';

@Controller()
class AccountsController {
  @Handles(subjects.membership.accountsOfUser)
  async accountsOfUser(@Payload() request: QueryRequest<AccountsOfUserPayload>): Promise<Reply<Page<AccountView>>> {
    return ok({
      items: [
        {
          id: 'a1',
          name: `of ${request.payload.userId}`,
          role: 'owner',
          ownerEmail: 'o@example.com',
          isRootOwner: true,
          displayName: null,
          mayCreateEnvironments: true,
          scope: { type: 'global' },
        },
      ],
      nextAfter: null,
    });
  }
}

/** Never registered: its handlers prove, under `tsc`, that a handler must be exactly the subject's. */
export class MismatchedHandlers {
  // @ts-expect-error the map says a query, not a command
  @Handles(subjects.membership.accountsOfUser)
  asCommand(@Payload() _request: CommandRequest<AccountsOfUserPayload>): Promise<Reply<AccountView[]>> {
    return Promise.resolve(ok([]));
  }

  // @ts-expect-error the map says MemberRefPayload: a type that leaves out a field is refused too
  @Handles(subjects.membership.removeMember)
  partOfThePayload(
    @Payload() _request: CommandRequest<{ readonly accountId: string }>,
  ): Promise<Reply<{ position: number }>> {
    return Promise.resolve(ok({ position: 0 }));
  }

  // @ts-expect-error the map says a list of accounts
  @Handles(subjects.membership.accountsOfUser)
  wrongResult(@Payload() _request: QueryRequest<AccountsOfUserPayload>): Promise<Reply<AccountView>> {
    return Promise.reject(new Error('never called'));
  }

  // @ts-expect-error the map says MemberRefPayload: a field the sender never sends is refused
  @Handles(subjects.membership.removeMember)
  moreThanThePayload(
    @Payload() _request: CommandRequest<MemberRefPayload & { readonly reason: string }>,
  ): Promise<Reply<{ position: number }>> {
    return Promise.resolve(ok({ position: 0 }));
  }
}

@Module({ controllers: [AccountsController] })
class AccountsModule {}

describe('@Handles(subject)', () => {
  let app: INestMicroservice;
  let client: InProcessRequestClient;

  beforeAll(async () => {
    const transport = new InProcessTransport();
    app = await NestFactory.createMicroservice(AccountsModule, { strategy: transport, logger: false });
    await app.listen();
    client = new InProcessRequestClient(transport);
  });

  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('registers the method for its subject, and the typed client gets the reply the map promises', async () => {
    const reply = await client.send(subjects.membership.accountsOfUser, { payload: { userId: 'u1' } });
    expect(reply.ok && reply.value.items.map((account) => account.name)).toEqual(['of u1']);
  });

  it('gives the typed client no way to send what the map does not give a subject (proven by tsc)', () => {
    const unsent = [
      // @ts-expect-error accountsOfUser takes a userId
      () => client.send(subjects.membership.accountsOfUser, { payload: { accountId: 'a1' } }),
      // @ts-expect-error a command travels with its metadata
      () => client.send(subjects.membership.removeMember, { payload: { accountId: 'a1', userId: 'u1' } }),
      // @ts-expect-error not a subject
      () => client.send('accord.query.membership.nobody', { payload: {} }),
    ];
    expect(unsent).toHaveLength(3);
  });
});
