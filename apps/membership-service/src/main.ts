import 'reflect-metadata';
import { queueGroups } from '@accord/contracts';
import { MembershipServiceModule } from '@accord/membership-service';
import { servicesConfig, startServiceProcess } from '@accord/runtime';

// Services profile: the membership service as its own process (any number of replicas).
startServiceProcess({ name: 'membership-service', queue: queueGroups.membership, module: MembershipServiceModule, config: servicesConfig() }).catch(
  (error: Error) => {
    console.error(`membership-service failed to start: ${error.message}`);
    process.exit(1);
  },
);
