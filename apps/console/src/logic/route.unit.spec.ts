import { hrefOf, parseRoute } from './route';

describe('console routes (the location hash)', () => {
  it.each([
    ['', { screen: 'accounts' }],
    ['#/accounts', { screen: 'accounts' }],
    ['#/accounts/acc-1', { screen: 'account', accountId: 'acc-1', section: 'users' }],
    ['#/accounts/acc-1/tokens', { screen: 'account', accountId: 'acc-1', section: 'tokens' }],
    ['#/invitations/abc.DEF_1-2', { screen: 'invitation', token: 'abc.DEF_1-2' }],
    ['#/invitations', { screen: 'invitations' }],
    ['#/notifications', { screen: 'notifications' }],
    ['#/accounts/acc-1/unknown', { screen: 'accounts' }],
    ['#/nowhere', { screen: 'accounts' }],
  ])('%s is %o', (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it('writes what it reads', () => {
    for (const hash of ['#/accounts', '#/accounts/acc-1/audit', '#/invitations/t0k3n', '#/notifications'])
      expect(hrefOf(parseRoute(hash))).toBe(hash);
  });
});
