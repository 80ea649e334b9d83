import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createGatewayApp } from '@accord/gateway-http';
import { NatsRequestClient } from '@accord/messaging';
import { gatewayConfig, natsNaming, servicesConfig } from '@accord/runtime';

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
  app.enableShutdownHooks();
  await app.listen(gateway.port, gateway.host);
  new Logger('gateway').log(`HTTP on http://${gateway.host}:${gateway.port}, services over ${services.natsUrl}`);
}

main().catch((error: Error) => {
  console.error(`gateway failed to start: ${error.message}`);
  process.exit(1);
});
