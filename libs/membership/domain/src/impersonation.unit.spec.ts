import type { Actor } from '@accord/contracts';
import { deciderSpec } from '@accord/decider-spec';
import { impersonationDecider, type RecordImpersonatedRead } from './impersonation';

const given = deciderSpec(impersonationDecider);
const admin: Actor = { userId: 'auth0|mike', via: 'impersonation', impersonatorId: 'auth0|admin' };
const read = (
  actor: Actor,
  route = 'GET /v1/accounts/:accountId/members',
  accountId: string | null = 'acc1',
): RecordImpersonatedRead => ({
  type: 'RecordImpersonatedRead',
  data: { actor, accountId, route },
});

describe('RecordImpersonatedRead (seed 000 "For Admins")', () => {
  it('records who impersonated whom, where', () =>
    given([])
      .when(read(admin))
      .then([
        {
          type: 'ImpersonatedReadRecorded',
          data: {
            accountId: 'acc1',
            impersonatorId: 'auth0|admin',
            userId: 'auth0|mike',
            route: 'GET /v1/accounts/:accountId/members',
          },
        },
      ]));
  it('records account-less reads with no account', () =>
    given([])
      .when(read(admin, 'GET /v1/accounts', null))
      .then([
        {
          type: 'ImpersonatedReadRecorded',
          data: { accountId: null, impersonatorId: 'auth0|admin', userId: 'auth0|mike', route: 'GET /v1/accounts' },
        },
      ]));
  it('refuses a record for a session that is not impersonating', () =>
    given([])
      .when(read({ userId: 'auth0|mike', via: 'session' }))
      .thenThrows('forbidden', 'impersonation.not_impersonating'));
  it('refuses an over-long route', () =>
    given([])
      .when(read(admin, 'x'.repeat(201)))
      .thenThrows('validation', 'impersonation.route_invalid'));
});
