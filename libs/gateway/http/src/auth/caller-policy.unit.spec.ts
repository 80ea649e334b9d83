import { GatewayError } from '../problem/gateway-error';
import { enforceCallerPolicy, type RouteFacts } from './caller-policy';
import type { Identity } from './jwt';

const accountA = '11111111-1111-4111-8111-111111111111';
const accountB = '22222222-2222-4222-8222-222222222222';
const person = { userId: 'auth0|mike', email: 'mike@example.com', emailVerified: true };
const session: Identity = { person, actor: { userId: person.userId, via: 'session' }, internalService: false };
const token: Identity = {
  person: { ...person, emailVerified: false },
  actor: { userId: person.userId, via: 'api_token', tokenId: 't1' },
  internalService: false,
  apiToken: { tokenId: 't1', accountId: accountA },
};
const impersonating: Identity = {
  person,
  actor: { userId: person.userId, via: 'impersonation', impersonatorId: 'auth0|admin' },
  internalService: false,
};
const route = (over: Partial<RouteFacts> = {}): RouteFacts => ({
  method: 'GET',
  accountId: undefined,
  apiTokenAllowed: false,
  hiddenFromImpersonation: false,
  ...over,
});

function refusal(identity: Identity, facts: RouteFacts): { status: string; code: string } | null {
  try {
    enforceCallerPolicy(identity, facts);
    return null;
  } catch (error) {
    const { kind, code } = (error as GatewayError).error;
    return { status: kind, code };
  }
}

describe('caller policy: an API token acts only in its own account (rule 4)', () => {
  it('reaches routes of its own account', () => expect(refusal(token, route({ accountId: accountA }))).toBeNull());
  it('gets 404 on another account, as for one that does not exist', () =>
    expect(refusal(token, route({ method: 'POST', accountId: accountB }))).toEqual({
      status: 'not_found',
      code: 'account.not_found',
    }));
  it('is refused on account-less routes (create an account, /me, accept) with token.not_allowed', () =>
    expect(refusal(token, route({ method: 'POST' }))).toEqual({ status: 'forbidden', code: 'token.not_allowed' }));
  it('reaches account-less routes that confine themselves to its account', () =>
    expect(refusal(token, route({ apiTokenAllowed: true }))).toBeNull());
  it('a session reaches every route', () =>
    expect(refusal(session, route({ method: 'POST', accountId: accountB }))).toBeNull());
});

describe('caller policy: impersonation only reads, and never accesses (rule 5)', () => {
  it('reads what the user reads', () => expect(refusal(impersonating, route({ accountId: accountA }))).toBeNull());
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s: no grant is created, changed or revoked', (method) =>
    expect(refusal(impersonating, route({ method, accountId: accountA }))).toEqual({
      status: 'forbidden',
      code: 'impersonation.forbidden',
    }),
  );
  it('sees no accesses, tokens or invitations', () =>
    expect(refusal(impersonating, route({ hiddenFromImpersonation: true }))).toEqual({
      status: 'forbidden',
      code: 'impersonation.forbidden',
    }));
});
