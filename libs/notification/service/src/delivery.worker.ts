import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { streams, type NotificationFailedData, type NotificationSentData } from '@accord/contracts';
import type { EventStore } from '@accord/eventstore';
import { linkToken } from '@accord/invitation-links';
import {
  EVENT_STORE,
  METRICS,
  processMetrics,
  type AccordMetrics,
  type Unwatch,
  RepeatingRound,
} from '@accord/service-kit';
import { Deliveries, type Delivery } from './deliveries';
import { MailTransport } from './mail-transport';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from './notification-options';
import { render } from './templates';

const OUTCOME_NAMESPACE = '9d2c8a61-0f3b-4e7a-b5d4-6c1e2f3a4b5c';
/**
 * How long a claimed delivery stays this worker's. Longer than the SMTP timeouts of ONE send add up
 * to (mail-transport.ts: 10 s connect + 10 s greeting + 30 s socket), so a hung server cannot outlive
 * the lease and let a second replica send the same e-mail; and short, because a worker that dies
 * mid-send leaves its delivery to wait out the lease.
 */
const LEASE_SECONDS = 60;
/** Deliveries one round sends, each claimed just before it is sent (the lease covers one send). */
const SENDS_PER_ROUND = 10;

/** Exponential backoff: base, 2×base, 4×base … capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Sends due e-mails and records each outcome as an event (NotificationSent / NotificationFailed),
 * so an invitation's history shows delivery. SMTP down: retried with exponential backoff until it
 * is back. Delivery is at-least-once only in one window — the SMTP server accepted the mail and
 * this process died before marking it sent — and then the copy carries the same Message-ID.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly rounds = new RepeatingRound(
    'delivery round',
    () => this.tick(),
    (line) => this.logger.warn(line),
  );
  private unwatchOutbox: Unwatch | null = null;

  constructor(
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationServiceOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly deliveries: Deliveries,
    private readonly transport: MailTransport,
    @Optional() @Inject(METRICS) private readonly metrics: AccordMetrics = processMetrics(),
  ) {}

  onApplicationBootstrap(): void {
    // The outbox depth is counted when Prometheus scrapes, not on every round.
    this.unwatchOutbox = this.metrics.watchOutbox(() => this.deliveries.pendingCount());
    this.rounds.start(this.options.pollMs ?? 250);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unwatchOutbox?.();
    await this.rounds.stop();
  }

  async tick(): Promise<void> {
    for (let sent = 0; sent < SENDS_PER_ROUND; sent++) {
      const [delivery] = await this.deliveries.claimDue(1, LEASE_SECONDS);
      if (!delivery) return;
      await this.deliver(delivery);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const attempt = delivery.attempts + 1;
    // The link is derived here, in memory, at send time: no table or event ever holds it. It opens
    // the console's invitation page; the token rides in the fragment, which a browser never sends
    // to a server (so no access log or proxy sees it), and the page asks the API what it is for.
    const link = delivery.linkNonce
      ? `${this.options.publicUrl.replace(/\/+$/, '')}/#/invitations/${linkToken(this.options.linkKey, delivery.linkNonce)}`
      : undefined;
    const mail = render(delivery.kind, { ...delivery.context, ...(link ? { link } : {}) });
    const outcome: NotificationSentData = {
      notificationId: delivery.deliveryId,
      accountId: delivery.accountId,
      kind: delivery.kind,
      channel: 'email',
      to: delivery.recipient,
      causeEventId: delivery.causeEventId,
      attempt,
    };
    try {
      await this.transport.send(
        { ...mail, to: delivery.recipient, messageId: `<${delivery.deliveryId}@accord>`, ...(link ? { link } : {}) },
        delivery.deliveryId,
      );
    } catch (error) {
      const retryIn = backoffMs(attempt, this.options.retry?.baseMs ?? 1000, this.options.retry?.maxMs ?? 300_000);
      const failed: NotificationFailedData = { ...outcome, reason: smtpReason(error), willRetry: true };
      this.metrics.delivered(delivery.kind, 'failed');
      await this.record('NotificationFailed', failed);
      await this.deliveries.markFailed(delivery.deliveryId, retryIn);
      return;
    }
    // The event first: its id is deterministic, so if marking the row fails afterwards the retry
    // re-records nothing; the other order could leave a sent e-mail with no NotificationSent.
    this.metrics.delivered(delivery.kind, 'sent');
    await this.record('NotificationSent', outcome);
    await this.deliveries.markSent(delivery.deliveryId);
  }

  /** Outcome events get ids from delivery + attempt + type: recording twice is a no-op. */
  private async record(type: 'NotificationSent' | 'NotificationFailed', data: NotificationSentData): Promise<void> {
    const id = uuidv5(`${data.notificationId}/${data.attempt}/${type}`, OUTCOME_NAMESPACE);
    await this.store.append(
      streams.notification(data.notificationId),
      [
        {
          id,
          type,
          data,
          metadata: {
            accountId: data.accountId,
            actor: { userId: 'system', via: 'system' },
            correlationId: data.causeEventId,
            causationId: data.causeEventId,
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
  }
}

/** A short, secret-free reason: the SMTP code or the network error code, never a message body. */
function smtpReason(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; name?: string };
  if (e.responseCode) return `smtp ${e.responseCode}`;
  return e.code ?? e.name ?? 'error';
}
