import { useEffect, useState } from 'react';
import { useConsole } from '../console-context';
import { NOTIFICATIONS_CHANGED } from '../logic/notifications-view';
import { hrefOf, type Route } from '../logic/route';

/** The console's header: where to go, the notifications bell with its unread count, who is signed in. */
export function Header({ route }: { route: Route }) {
  const { api, email, signOut } = useConsole();
  const [unread, setUnread] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<{ unread: number }>('/v1/me/notifications', { limit: 1 })
        .then((page) => live && setUnread(page.unread))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, 15_000);
    // A screen that marked notices read (or accepted an invitation) says so: count again at once.
    const onChanged = () => void load();
    window.addEventListener(NOTIFICATIONS_CHANGED, onChanged);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, onChanged);
    };
  }, [api, route]);

  return (
    <header className="top">
      <a className="brand" href={hrefOf({ screen: 'accounts' })}>
        Accord
      </a>
      <nav aria-label="Main">
        <a href={hrefOf({ screen: 'accounts' })} aria-current={route.screen === 'accounts' ? 'page' : undefined}>
          Accounts
        </a>
        <a href={hrefOf({ screen: 'invitations' })} aria-current={route.screen === 'invitations' ? 'page' : undefined}>
          Invitations
        </a>
        <a
          href={hrefOf({ screen: 'notifications' })}
          className="bell"
          aria-current={route.screen === 'notifications' ? 'page' : undefined}
          aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        >
          <BellIcon />
          {unread ? <span className="badge">{unread}</span> : null}
        </a>
      </nav>
      <span className="who">{email}</span>
      <button type="button" className="link" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}

/** Drawn, not an emoji: machines without an emoji font would show an empty box. */
function BellIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" className="bell-icon">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}
