import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { MembershipServiceModule } from '@accord/membership-service';
import {
  closeOnSignal,
  createLogger,
  exitOnStartFailure,
  logLevelConfig,
  routeNestLogsTo,
  servicesConfig,
  startServiceProcess,
} from '@accord/service-kit';

// Services profile: the membership service as its own process (any number of replicas).
async function main() {
  // JSON lines on stdout at LOG_LEVEL; Nest's own lines too, from the first one on.
  const logger = createLogger({ level: logLevelConfig(), name: 'membership-service' });
  routeNestLogsTo(logger);
  const service = await startServiceProcess({
    logger,
    name: 'membership-service',
    queue: queueGroups.membership,
    module: MembershipServiceModule,
    config: servicesConfig(),
  });
  closeOnSignal('membership-service', () => service.close());
}

main().catch(exitOnStartFailure('membership-service'));
