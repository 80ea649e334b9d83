import { ApiClient } from './client';
import { ApiError } from './problem';

describe('the console’s API client, downloading a file', () => {
  it('sends the bearer token with the query and hands back the body and its file name', async () => {
    const fetchFn = jest.fn(
      async () =>
        new Response('{"a":1}\n', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="audit-a1.jsonl"' },
        }),
    );
    const client = new ApiClient(
      () => 'tok',
      () => undefined,
      fetchFn as unknown as typeof fetch,
    );
    const file = await client.download('/v1/accounts/a1/audit-log/export', { from: '2030-01-01', to: undefined });
    expect(fetchFn).toHaveBeenCalledWith('/v1/accounts/a1/audit-log/export?from=2030-01-01', {
      method: 'GET',
      headers: { authorization: 'Bearer tok' },
    });
    expect(await file.blob.text()).toBe('{"a":1}\n');
    expect(file.disposition).toBe('attachment; filename="audit-a1.jsonl"');
  });

  it('turns a refusal into an ApiError, and a 401 signs out', async () => {
    const signOut = jest.fn();
    const client = new ApiClient(
      () => 'tok',
      signOut,
      (async () =>
        new Response(JSON.stringify({ title: 'Unauthorized', detail: 'token expired', code: 'auth.expired' }), {
          status: 401,
        })) as unknown as typeof fetch,
    );
    const error = await client.download('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.detail).toBe('token expired');
    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
