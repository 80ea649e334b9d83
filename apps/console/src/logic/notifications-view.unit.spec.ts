import {
  NOTIFICATIONS_CHANGED,
  announceNotificationsChanged,
  markedRead,
  newestFirst,
  notificationLink,
  type InboxNotification,
} from './notifications-view';

const notice = (over: Partial<InboxNotification> = {}): InboxNotification => ({
  id: 'n1',
  kind: 'access_shared',
  accountId: 'a1',
  text: 'Olivia shared access to Acme with you (administrator).',
  createdAt: '2030-01-01T10:00:00.000Z',
  read: false,
  ...over,
});

describe('the notifications screen', () => {
  it('lists newest first, ties by id', () => {
    const list = [
      notice({ id: 'a', createdAt: '2030-01-01T10:00:00.000Z' }),
      notice({ id: 'b', createdAt: '2030-01-02T10:00:00.000Z' }),
      notice({ id: 'c', createdAt: '2030-01-01T10:00:00.000Z' }),
    ];
    expect(newestFirst(list).map((n) => n.id)).toEqual(['b', 'c', 'a']);
  });

  it('marks the named notices read and leaves the others', () => {
    const list = [notice({ id: 'a' }), notice({ id: 'b' }), notice({ id: 'c', read: true })];
    expect(markedRead(list, new Set(['a', 'c'])).map((n) => n.read)).toEqual([true, false, true]);
  });

  it('a new share leads to the invitations; a removal leads nowhere (the account is no longer theirs)', () => {
    expect(notificationLink(notice())).toEqual({ href: '#/invitations', label: 'Answer the invitation' });
    expect(notificationLink(notice({ kind: 'role_changed' }))?.href).toBe('#/accounts/a1/users');
    expect(notificationLink(notice({ kind: 'access_expired' }))?.href).toBe('#/accounts/a1/access');
    expect(notificationLink(notice({ kind: 'member_removed' }))).toBeNull();
  });

  it('tells the header’s bell to count again', () => {
    const target = new EventTarget();
    const heard = jest.fn();
    target.addEventListener(NOTIFICATIONS_CHANGED, heard);
    announceNotificationsChanged(target);
    expect(heard).toHaveBeenCalledTimes(1);
  });
});
