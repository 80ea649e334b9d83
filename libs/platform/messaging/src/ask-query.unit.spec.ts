import { DomainError, subjects, type Reply } from '@accord/contracts';
import { askQuery, type RequestClient } from './request-client';

/** A responder that answers every request with `reply`, and remembers what it was asked. */
const answering = (reply: Reply<unknown>) => {
  const asked: unknown[] = [];
  const client = {
    send: async (_subject: string, request: unknown) => {
      asked.push(request);
      return reply;
    },
    close: async () => undefined,
  } as unknown as RequestClient;
  return { client, asked };
};

describe('asking another service a query from a use case', () => {
  const payload = { accountId: 'a1', userId: 'u1' };

  it('gives the answer, asking no older than minPosition when one is given', async () => {
    const { client, asked } = answering({ ok: true, value: { member: true, owner: false } });
    expect(await askQuery(client, subjects.membership.grantFacts, payload, 7)).toEqual({ member: true, owner: false });
    await askQuery(client, subjects.membership.grantFacts, payload);
    expect(asked).toEqual([{ payload, minPosition: 7 }, { payload }]);
  });

  it('throws the refusal as its own error: same kind, code, message, field and retry', async () => {
    const { client } = answering({
      ok: false,
      error: { kind: 'rate_limited', code: 'x.slow', message: 'later', field: 'accountId', retryAfterSeconds: 3 },
    });
    const error = await askQuery(client, subjects.membership.grantFacts, payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      code: 'x.slow',
      message: 'later',
      field: 'accountId',
      retryAfterSeconds: 3,
    });
  });
});
