import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { ApiTokenServiceModule } from '@accord/api-token-service';
import {
  closeOnSignal,
  createLogger,
  exitOnStartFailure,
  logLevelConfig,
  routeNestLogsTo,
  servicesConfig,
  startServiceProcess,
} from '@accord/service-kit';

// Services profile: the token service as its own process (any number of replicas).
async function main() {
  // JSON lines on stdout at LOG_LEVEL; Nest's own lines too, from the first one on.
  const logger = createLogger({ level: logLevelConfig(), name: 'token-service' });
  routeNestLogsTo(logger);
  const service = await startServiceProcess({
    logger,
    name: 'token-service',
    queue: queueGroups.token,
    module: ApiTokenServiceModule.forRoot(),
    config: servicesConfig(),
  });
  closeOnSignal('token-service', () => service.close());
}

main().catch(exitOnStartFailure('token-service'));
