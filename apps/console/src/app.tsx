import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/client';
import { browserSession, emailOfToken, tokenFromHandOff } from './api/session';
import { ConsoleContext, type ConsoleContextValue } from './console-context';
import { hrefOf, parseRoute, type Route } from './logic/route';
import { AccountScreen } from './screens/account';
import { Accounts } from './screens/accounts';
import { InvitationPage } from './screens/invitation';
import { MyInvitations } from './screens/invitations';
import { Notifications } from './screens/notifications';
import { SignIn } from './screens/sign-in';
import { Header } from './components/header';

const session = browserSession();

/** The console: who is signed in, which screen the hash names, and the screen. */
export function App() {
  const [token, setToken] = useState<string | null>(() => session.get());
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [signedOutReason, setSignedOutReason] = useState<string | undefined>();

  // The platform's sign-in hands a session over in the fragment: take it, then forget the fragment.
  useEffect(() => {
    const handedOver = tokenFromHandOff(location.hash);
    if (handedOver) {
      session.set(handedOver);
      setToken(handedOver);
      history.replaceState(null, '', `${location.pathname}${hrefOf({ screen: 'accounts' })}`);
      setRoute({ screen: 'accounts' });
    }
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const signOut = useCallback((reason?: string) => {
    session.clear();
    setToken(null);
    setSignedOutReason(reason);
  }, []);

  const signIn = useCallback((next: string) => {
    session.set(next);
    setToken(next);
    setSignedOutReason(undefined);
  }, []);

  const api = useMemo(
    () =>
      new ApiClient(
        () => session.get(),
        () => signOut('Your session ended. Sign in again.'),
      ),
    [signOut],
  );

  const context: ConsoleContextValue | null = useMemo(
    () =>
      token
        ? {
            api,
            email: emailOfToken(token),
            signOut: () => signOut(),
            navigate: (next: Route) => {
              location.hash = hrefOf(next);
            },
          }
        : null,
    [api, token, signOut],
  );

  // The invitation page is for signed-out visitors too: they see what they are invited to first.
  if (!context) {
    if (route.screen === 'invitation')
      return (
        <InvitationPage
          token={route.token}
          signedIn={false}
          onSignIn={() => setSignedOutReason('Sign in with the e-mail the invitation was sent to.')}
          anonymous={api}
          signInForm={signedOutReason !== undefined ? <SignIn onSignedIn={signIn} reason={signedOutReason} /> : null}
        />
      );
    return <SignIn onSignedIn={signIn} reason={signedOutReason} />;
  }

  return (
    <ConsoleContext.Provider value={context}>
      <Header route={route} />
      <main id="main">{screenFor(route)}</main>
    </ConsoleContext.Provider>
  );
}

function screenFor(route: Route) {
  switch (route.screen) {
    case 'accounts':
      return <Accounts />;
    case 'account':
      return <AccountScreen accountId={route.accountId} section={route.section} />;
    case 'invitation':
      return <InvitationPage token={route.token} signedIn={true} onSignIn={() => undefined} />;
    case 'invitations':
      return <MyInvitations />;
    case 'notifications':
      return <Notifications />;
  }
}
