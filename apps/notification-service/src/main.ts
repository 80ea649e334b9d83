import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { NotificationServiceModule, notificationConfig } from '@accord/notification-service';
import {
  closeOnSignal,
  createLogger,
  exitOnStartFailure,
  logLevelConfig,
  routeNestLogsTo,
  servicesConfig,
  startServiceProcess,
} from '@accord/service-kit';

// Services profile: the notification service (e-mail and in-app inbox) as its own process.
async function main() {
  // JSON lines on stdout at LOG_LEVEL; Nest's own lines too, from the first one on.
  const logger = createLogger({ level: logLevelConfig(), name: 'notification-service' });
  routeNestLogsTo(logger);
  const service = await startServiceProcess({
    logger,
    name: 'notification-service',
    queue: queueGroups.notification,
    module: NotificationServiceModule.forRoot(notificationConfig()),
    config: servicesConfig(),
  });
  closeOnSignal('notification-service', () => service.close());
}

main().catch(exitOnStartFailure('notification-service'));
