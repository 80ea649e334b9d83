import { ApiClient, withQuery } from './client';
import { ApiError, problemOf } from './problem';

const respond = (status: number, body: unknown, type = 'application/problem+json') =>
  jest.fn(
    async () =>
      new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } }),
  );

describe('the console’s API client', () => {
  it('sends the session as a bearer token and JSON bodies', async () => {
    const fetchFn = respond(201, { id: 'a1' }, 'application/json');
    const client = new ApiClient(
      () => 'tok',
      () => undefined,
      fetchFn as unknown as typeof fetch,
    );
    expect(await client.post('/v1/accounts', { name: 'Acme' })).toEqual({ id: 'a1' });
    expect(fetchFn).toHaveBeenCalledWith('/v1/accounts', {
      method: 'POST',
      headers: { accept: 'application/json', authorization: 'Bearer tok', 'content-type': 'application/json' },
      body: '{"name":"Acme"}',
    });
  });

  it('turns a problem+json answer into an ApiError that names the fields', async () => {
    const problem = {
      status: 400,
      title: 'Invalid request',
      detail: 'recipients[1] must be an e-mail',
      code: 'validation',
      field: 'recipients[1]',
      errors: [{ field: 'recipients[1]', message: 'must be an e-mail' }],
    };
    const client = new ApiClient(
      () => 'tok',
      () => undefined,
      respond(400, problem) as unknown as typeof fetch,
    );
    const error = await client.post('/v1/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).messageFor('recipients')).toBe('must be an e-mail');
    expect((error as ApiError).messageFor('role')).toBeUndefined();
  });

  it('signs out on a 401 to a signed-in call', async () => {
    const signOut = jest.fn();
    const client = new ApiClient(
      () => 'tok',
      signOut,
      respond(401, { title: 'Authentication required' }) as unknown as typeof fetch,
    );
    await expect(client.get('/v1/accounts')).rejects.toBeInstanceOf(ApiError);
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it('reads a body that is not problem+json by its status alone', () =>
    expect(problemOf(502, 'Bad gateway')).toEqual({
      status: 502,
      title: 'HTTP 502',
      detail: 'The request could not be completed.',
      code: 'unknown',
    }));

  it('leaves empty query values out', () =>
    expect(withQuery('/v1/x', { a: 1, b: undefined, c: '' })).toBe('/v1/x?a=1'));
});
