import { Client, escapeIdentifier, type ClientConfig, type Notification } from 'pg';

const RECONNECT_DELAY_MS = 1000;

/**
 * One dedicated connection (outside the pool, so LISTEN never starves queries) that multiplexes
 * every LISTEN of a PgSqlClient. If the connection drops it reconnects in the background and wakes
 * every listener once, because NOTIFYs sent while disconnected are lost; listeners poll meanwhile.
 */
export class PgNotificationListener {
  private readonly callbacks = new Map<string, Set<() => void>>();
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly config: ClientConfig) {}

  async listen(channel: string, onNotification: () => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('PgNotificationListener is closed');
    let channelCallbacks = this.callbacks.get(channel);
    const firstOnChannel = channelCallbacks === undefined;
    if (channelCallbacks === undefined) {
      channelCallbacks = new Set();
      this.callbacks.set(channel, channelCallbacks);
    }
    channelCallbacks.add(onNotification);
    try {
      const client = await this.connect();
      if (firstOnChannel) await client.query(`LISTEN ${escapeIdentifier(channel)}`);
    } catch (error) {
      this.remove(channel, onNotification);
      throw error;
    }
    return async () => {
      if (this.remove(channel, onNotification)) {
        await this.client?.query(`UNLISTEN ${escapeIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.callbacks.clear();
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Returns true when the channel has no listener left. */
  private remove(channel: string, onNotification: () => void): boolean {
    const channelCallbacks = this.callbacks.get(channel);
    if (!channelCallbacks) return false;
    channelCallbacks.delete(onNotification);
    if (channelCallbacks.size > 0) return false;
    this.callbacks.delete(channel);
    return true;
  }

  private connect(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const client = new Client(this.config);
    client.on('notification', (message: Notification) => this.dispatch(message.channel));
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.callbacks.keys()) await client.query(`LISTEN ${escapeIdentifier(channel)}`);
      if (this.closed) throw new Error('PgNotificationListener is closed');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    for (const channel of this.callbacks.keys()) this.dispatch(channel);
    return client;
  }

  private dispatch(channel: string): void {
    for (const callback of this.callbacks.get(channel) ?? []) {
      try {
        callback();
      } catch (error) {
        console.warn(`[eventstore] notification callback failed: ${String(error)}`);
      }
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    console.warn(
      `[eventstore] LISTEN connection lost (${error?.message ?? 'ended'}); subscribers poll until it is back`,
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.callbacks.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch(() => this.scheduleReconnect());
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}
