import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { ApiTokenServiceModule } from '@accord/api-token-service';
import { closeOnSignal, exitOnStartFailure, servicesConfig, startServiceProcess } from '@accord/service-kit';

// Services profile: the token service as its own process (any number of replicas).
async function main() {
  const service = await startServiceProcess({
    name: 'token-service',
    queue: queueGroups.token,
    module: ApiTokenServiceModule.forRoot(),
    config: servicesConfig(),
  });
  closeOnSignal('token-service', () => service.close());
}

main().catch(exitOnStartFailure('token-service'));
