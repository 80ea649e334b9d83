import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { InvitationServiceModule } from '@accord/invitation-service';
import {
  closeOnSignal,
  createLogger,
  exitOnStartFailure,
  linkKeyConfig,
  logLevelConfig,
  routeNestLogsTo,
  servicesConfig,
  startServiceProcess,
} from '@accord/service-kit';

// Services profile: the invitation service as its own process (any number of replicas).
async function main() {
  // JSON lines on stdout at LOG_LEVEL; Nest's own lines too, from the first one on.
  const logger = createLogger({ level: logLevelConfig(), name: 'invitation-service' });
  routeNestLogsTo(logger);
  const service = await startServiceProcess({
    logger,
    name: 'invitation-service',
    queue: queueGroups.invitation,
    module: InvitationServiceModule.forRoot({ linkKey: linkKeyConfig() }),
    config: servicesConfig(),
  });
  closeOnSignal('invitation-service', () => service.close());
}

main().catch(exitOnStartFailure('invitation-service'));
