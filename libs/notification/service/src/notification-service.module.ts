import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { type SqlClient, setUpSerialized } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
import { Deliveries } from './deliveries';
import { DeliveryWorker } from './delivery.worker';
import { InboxMessageController } from './inbox';
import { MailTransport } from './mail-transport';
import { MailDirectoryReadModel, MailerReactor, NotificationReadModel } from './mailer.reactor';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from './notification-options';
import { WebhookCommands } from './webhooks/webhook.commands';
import { WebhookEndpointsReadModel, WebhookReactor } from './webhooks/webhook.reactor';
import { WebhookWorker } from './webhooks/webhook.worker';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';
import { WebhookSecrets } from './webhooks/webhook-secrets';
import { WebhooksMessageController } from './webhooks/webhooks.message-controller';

/**
 * The notification service: e-mail (SMTP), the in-app inbox and webhooks, reacting to events. Needs
 * EVENT_STORE, SQL_CLIENT and EVENT_CONSUMER from the composition root.
 */
@Module({})
export class NotificationServiceModule implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  static forRoot(options: NotificationServiceOptions): DynamicModule {
    return {
      module: NotificationServiceModule,
      controllers: [InboxMessageController, WebhooksMessageController],
      providers: [
        { provide: NOTIFICATION_OPTIONS, useValue: options },
        Deliveries,
        MailTransport,
        NotificationReadModel,
        MailDirectoryReadModel,
        MailerReactor,
        DeliveryWorker,
        WebhookSecrets,
        WebhookDeliveries,
        WebhookEndpointsReadModel,
        WebhookCommands,
        WebhookReactor,
        WebhookWorker,
      ],
    };
  }

  /** The outbox tables (and the webhook secrets) exist before the reactors or the workers start. */
  onModuleInit(): Promise<void> {
    return setUpSerialized(this.sql, async (tx) => {
      await Deliveries.setup(tx);
      await WebhookDeliveries.setup(tx);
      await WebhookSecrets.setup(tx);
    });
  }
}
