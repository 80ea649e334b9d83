/** Request/reply subjects of the notification service (the in-app inbox). */
export const notificationSubjects = {
  inbox: 'accord.query.notification.inbox',
  markRead: 'accord.cmd.notification.mark-read',
} as const;
