import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { type SqlClient, setUpSerialized } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
import { Deliveries } from './deliveries';
import { DeliveryWorker } from './delivery.worker';
import { InboxMessageController } from './inbox';
import { MailTransport } from './mail-transport';
import { MailDirectoryReadModel, MailerReactor, NotificationReadModel } from './mailer.reactor';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from './notification-options';

/**
 * The notification service: e-mail (SMTP) and the in-app inbox, reacting to events. Needs
 * EVENT_STORE, SQL_CLIENT and EVENT_CONSUMER from the composition root.
 */
@Module({})
export class NotificationServiceModule implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  static forRoot(options: NotificationServiceOptions): DynamicModule {
    return {
      module: NotificationServiceModule,
      controllers: [InboxMessageController],
      providers: [
        { provide: NOTIFICATION_OPTIONS, useValue: options },
        Deliveries,
        MailTransport,
        NotificationReadModel,
        MailDirectoryReadModel,
        MailerReactor,
        DeliveryWorker,
      ],
    };
  }

  /** The outbox table exists before the reactor or the worker start. */
  onModuleInit(): Promise<void> {
    return setUpSerialized(this.sql, (tx) => Deliveries.setup(tx));
  }
}
