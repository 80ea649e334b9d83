import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { InvitationServiceModule } from '@accord/invitation-service';
import { servicesConfig, startServiceProcess } from '@accord/runtime';

// Services profile: the invitation service as its own process (any number of replicas).
startServiceProcess({ name: 'invitation-service', queue: queueGroups.invitation, module: InvitationServiceModule, config: servicesConfig() }).catch(
  (error: Error) => {
    console.error(`invitation-service failed to start: ${error.message}`);
    process.exit(1);
  },
);
