import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { NotificationServiceModule, notificationConfig } from '@accord/notification-service';
import { closeOnSignal, exitOnStartFailure, servicesConfig, startServiceProcess } from '@accord/service-kit';

// Services profile: the notification service (e-mail and in-app inbox) as its own process.
async function main() {
  const service = await startServiceProcess({
    name: 'notification-service',
    queue: queueGroups.notification,
    module: NotificationServiceModule.forRoot(notificationConfig()),
    config: servicesConfig(),
  });
  closeOnSignal('notification-service', () => service.close());
}

main().catch(exitOnStartFailure('notification-service'));
