import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { InvitationServiceModule } from '@accord/invitation-service';
import {
  closeOnSignal,
  exitOnStartFailure,
  linkKeyConfig,
  servicesConfig,
  startServiceProcess,
} from '@accord/service-kit';

// Services profile: the invitation service as its own process (any number of replicas).
async function main() {
  const service = await startServiceProcess({
    name: 'invitation-service',
    queue: queueGroups.invitation,
    module: InvitationServiceModule.forRoot({ linkKey: linkKeyConfig() }),
    config: servicesConfig(),
  });
  closeOnSignal('invitation-service', () => service.close());
}

main().catch(exitOnStartFailure('invitation-service'));
