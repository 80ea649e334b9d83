import type { SqlClient } from './sql-client';

/**
 * Optional capability of a SqlClient: LISTEN on a channel. Notifications only shorten latency;
 * nobody may rely on them for delivery (they are lost while disconnected), so every consumer
 * also polls.
 */
export interface NotificationSource {
  /** Calls `onNotification` for each NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onNotification: () => void): Promise<() => Promise<void>>;
}

export function supportsNotifications(sql: SqlClient): sql is SqlClient & NotificationSource {
  return typeof (sql as Partial<NotificationSource>).listen === 'function';
}
