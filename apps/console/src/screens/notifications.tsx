import { useCallback, useEffect, useState } from 'react';
import { ProblemBanner } from '../components/problem-banner';
import { useConsole } from '../console-context';
import { formatWhen } from '../logic/invitation-view';
import {
  announceNotificationsChanged,
  markedRead,
  newestFirst,
  notificationLink,
  type InboxNotification,
  type InboxPage,
} from '../logic/notifications-view';

const PAGE = 50;

/**
 * The in-app notices (a new share, a role change, a removal…), newest first, unread ones marked;
 * each can be marked read, or all at once. The header's bell is told to count again after either.
 */
export function Notifications() {
  const { api } = useConsole();
  const [items, setItems] = useState<InboxNotification[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await api.get<InboxPage>('/v1/me/notifications', { limit: PAGE });
      setItems(newestFirst(page.items));
      setNext(page.next);
      setUnread(page.unread);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await api.get<InboxPage>('/v1/me/notifications', { limit: PAGE, cursor: next });
      setItems((shown) => newestFirst([...(shown ?? []), ...page.items]));
      setNext(page.next);
      setUnread(page.unread);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const markOne = async (n: InboxNotification) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/v1/me/notifications/${encodeURIComponent(n.id)}/read`);
      setItems((shown) => markedRead(shown ?? [], new Set([n.id])));
      setUnread((count) => Math.max(0, count - 1));
      setStatus('Marked as read.');
      announceNotificationsChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // One request marks the whole inbox, also the notices not shown yet; the shown ones turn read here.
  const markAll = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/v1/me/notifications/read-all');
      setItems((shown) => markedRead(shown ?? [], new Set((shown ?? []).map((n) => n.id))));
      setUnread(0);
      setStatus('All notifications are marked as read.');
    } catch (e) {
      setError(e);
      void load();
    } finally {
      announceNotificationsChanged();
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Notifications</h1>
      <p className="actions">
        <span>{unread === 0 ? 'Nothing unread.' : `${unread} unread.`}</span>
        <button type="button" className="secondary" disabled={busy || unread === 0} onClick={() => void markAll()}>
          Mark all as read
        </button>
      </p>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <ProblemBanner error={error} />
      {items === null && !error ? (
        <p role="status">Loading…</p>
      ) : items !== null && items.length === 0 ? (
        <p>No notifications yet.</p>
      ) : (
        <ul className="inbox" aria-label="Notifications, newest first">
          {(items ?? []).map((n) => {
            const link = notificationLink(n);
            return (
              <li key={n.id} className={n.read ? 'read' : 'unread'}>
                <p>
                  {!n.read && <span className="tag">Unread</span>} {n.text}
                </p>
                <p className="hint">
                  <time dateTime={n.createdAt}>{formatWhen(n.createdAt)}</time>
                </p>
                <div className="actions">
                  {link && <a href={link.href}>{link.label}</a>}
                  {!n.read && (
                    <button type="button" className="secondary" disabled={busy} onClick={() => void markOne(n)}>
                      Mark as read<span className="visually-hidden">: {n.text}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {next && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void more()}>
          Show older notifications
        </button>
      )}
    </section>
  );
}
