import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { MembershipServiceModule } from '@accord/membership-service';
import { closeOnSignal, exitOnStartFailure, servicesConfig, startServiceProcess } from '@accord/service-kit';

// Services profile: the membership service as its own process (any number of replicas).
async function main() {
  const service = await startServiceProcess({
    name: 'membership-service',
    queue: queueGroups.membership,
    module: MembershipServiceModule,
    config: servicesConfig(),
  });
  closeOnSignal('membership-service', () => service.close());
}

main().catch(exitOnStartFailure('membership-service'));
