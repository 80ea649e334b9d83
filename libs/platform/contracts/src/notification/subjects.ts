/** Request/reply subjects of the notification service (the in-app inbox, webhooks). */
export const notificationSubjects = {
  inbox: 'accord.query.notification.inbox',
  markRead: 'accord.cmd.notification.mark-read',
  markAllRead: 'accord.cmd.notification.mark-all-read',
  registerWebhook: 'accord.cmd.notification.webhook-register',
  deleteWebhook: 'accord.cmd.notification.webhook-delete',
  testWebhook: 'accord.cmd.notification.webhook-test',
  webhooks: 'accord.query.notification.webhooks',
  webhookDeliveries: 'accord.query.notification.webhook-deliveries',
} as const;
