import type { WebhookOptions } from './webhooks/webhook-options';

/** What the notification service needs from its composition root. */
export interface NotificationServiceOptions {
  /** HMAC key of invitation links: the service re-derives a link's token from its nonce to mail it. */
  readonly linkKey: string;
  /** Base URL of links in e-mails. */
  readonly publicUrl: string;
  /** SMTP, or (embedded profile without SMTP_URL) `.eml` files in a folder. */
  readonly mail: { readonly smtpUrl: string } | { readonly mailDir: string };
  readonly from?: string;
  /** Exponential backoff between SMTP attempts. */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
  /** How often the delivery worker looks for due e-mails. */
  readonly pollMs?: number;
  /** Webhook delivery (the embedded profile allows loopback receivers); defaults otherwise. */
  readonly webhooks?: WebhookOptions;
}

export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');
