import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createGatewayApp } from '@accord/gateway-http';
import { NatsRequestClient } from '@accord/messaging';
import { closeOnSignal, exitOnStartFailure, gatewayConfig, natsNaming, servicesConfig } from '@accord/runtime';

// Services profile: the stateless HTTP gateway; commands and queries go to the services over NATS.
async function main() {
  const gateway = gatewayConfig();
  const services = servicesConfig();
  const requestClient = new NatsRequestClient({
    servers: services.natsUrl,
    prefix: natsNaming(services.natsPrefix).requestPrefix,
    name: 'gateway',
  });
  const app = await createGatewayApp({ jwtSecret: gateway.jwtSecret, devTokens: false, requestClient });
  await app.listen(gateway.port, gateway.host);
  new Logger('gateway').log(`HTTP on http://${gateway.host}:${gateway.port}, services over ${services.natsUrl}`);
  closeOnSignal('gateway', async () => {
    await app.close();
    await requestClient.close();
  });
}

main().catch(exitOnStartFailure('gateway'));
