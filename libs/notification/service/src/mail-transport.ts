import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from './notification-options';
import type { RenderedMail } from './templates';

export interface OutgoingMail extends RenderedMail {
  readonly to: string;
  /** Deterministic per delivery: a re-send after a crash carries the same Message-ID. */
  readonly messageId: string;
  /** The invitation link, if any: logged in the embedded profile only. */
  readonly link?: string;
}

/** SMTP through nodemailer, or — embedded profile without SMTP — `.eml` files a person can open. */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  private readonly mailDir: string | null;
  private readonly from: string;

  constructor(@Inject(NOTIFICATION_OPTIONS) options: NotificationServiceOptions) {
    this.from = options.from ?? 'Accord <no-reply@accord.local>';
    if ('smtpUrl' in options.mail) {
      // Bounded timeouts (nodemailer's defaults run to minutes): see LEASE_SECONDS in delivery.worker.ts.
      this.transporter = createTransport({
        url: options.mail.smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      this.mailDir = null;
    } else {
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.mailDir = options.mail.mailDir;
      mkdirSync(this.mailDir, { recursive: true });
    }
  }

  async send(mail: OutgoingMail, deliveryId: string): Promise<void> {
    const info = await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
    });
    if (this.mailDir) {
      const file = join(this.mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${deliveryId}.eml`);
      writeFileSync(file, (info as { message: Buffer }).message, { mode: 0o600 });
      // Dev convenience of the embedded profile only (no SMTP server): say where the mail is. An
      // invitation link is a secret (whoever holds it can accept as its addressee once signed in
      // with that e-mail), so it stays in the file, readable by this machine's user only, and
      // never reaches the log.
      this.logger.log(`e-mail to ${mail.to} written to ${file}${mail.link ? ' (it holds an invitation link)' : ''}`);
    }
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
