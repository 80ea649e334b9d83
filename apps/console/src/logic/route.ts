/**
 * The console's screens, addressed by the location's hash (`#/accounts/…`): the gateway serves one
 * page at `/`, and a hash never reaches a server — an invitation link's token stays in the browser.
 */
export type AccountSection = 'users' | 'access' | 'tokens' | 'roles' | 'audit';

export const ACCOUNT_SECTIONS: readonly AccountSection[] = ['users', 'access', 'tokens', 'roles', 'audit'];

export type Route =
  | { readonly screen: 'accounts' }
  | { readonly screen: 'account'; readonly accountId: string; readonly section: AccountSection }
  | { readonly screen: 'invitation'; readonly token: string }
  | { readonly screen: 'invitations' }
  | { readonly screen: 'notifications' };

const ID = '[A-Za-z0-9._~-]{1,512}';

/** The route a hash names; anything else is the accounts screen (the console's home). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  let m = new RegExp(`^/accounts/(${ID})(?:/(users|access|tokens|roles|audit))?$`).exec(path);
  if (m) return { screen: 'account', accountId: m[1]!, section: (m[2] as AccountSection | undefined) ?? 'users' };
  m = new RegExp(`^/invitations/(${ID})$`).exec(path);
  if (m) return { screen: 'invitation', token: m[1]! };
  if (path === '/invitations') return { screen: 'invitations' };
  if (path === '/notifications') return { screen: 'notifications' };
  return { screen: 'accounts' };
}

/** The hash of a route (what links and navigation write). */
export function hrefOf(route: Route): string {
  switch (route.screen) {
    case 'accounts':
      return '#/accounts';
    case 'account':
      return `#/accounts/${encodeURIComponent(route.accountId)}/${route.section}`;
    case 'invitation':
      return `#/invitations/${encodeURIComponent(route.token)}`;
    case 'invitations':
      return '#/invitations';
    case 'notifications':
      return '#/notifications';
  }
}
