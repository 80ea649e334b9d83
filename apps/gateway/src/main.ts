import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createSqlClient, ensureDatabase } from '@accord/eventstore';
import { createGatewayApp, SqlIdempotencyStore } from '@accord/gateway-http';
import { describeNatsAuth, natsAuthOptions, NatsRequestClient } from '@accord/messaging';
import {
  closeOnSignal,
  collectServiceHealth,
  consoleDir,
  createLogger,
  exitOnStartFailure,
  gatewayConfig,
  healthServicesFromEnv,
  logLevelConfig,
  natsNaming,
  processMetrics,
  routeNestLogsTo,
  servicesConfig,
} from '@accord/service-kit';
import { connect } from 'nats';

// Services profile: the stateless HTTP gateway; commands and queries go to the services over NATS.
async function main() {
  // JSON lines on stdout at LOG_LEVEL: Nest's, and one per request with its ids (never a secret).
  const logger = createLogger({ level: logLevelConfig(), name: 'gateway' });
  routeNestLogsTo(logger);
  const gateway = gatewayConfig();
  const services = servicesConfig();
  const requestClient = new NatsRequestClient({
    servers: services.natsUrl,
    prefix: natsNaming(services.natsPrefix).requestPrefix,
    name: 'gateway',
    // The gateway's own NATS user: it may request commands and queries, nothing else.
    auth: services.natsAuth,
    // Each request's duration by subject and outcome, on GET /metrics.
    observer: processMetrics().requestObserver('nats'),
  });
  // All the gateway's state is in PostgreSQL (Idempotency-Key outcomes), shared by every replica.
  await ensureDatabase(services.databaseUrl);
  const sql = await createSqlClient({ databaseUrl: services.databaseUrl, poolSize: 4 });
  const idempotencyStore = await SqlIdempotencyStore.open(sql);
  // GET /health readiness details: each service process answers for its own projections and
  // reactors on accord.health.<service>; a service that does not answer in time is `unreachable`.
  const healthServices = healthServicesFromEnv();
  const healthNats = await connect({
    servers: services.natsUrl,
    name: 'gateway-health',
    ...natsAuthOptions(services.natsAuth),
  });
  const health = () =>
    collectServiceHealth(healthNats, {
      services: healthServices,
      prefix: natsNaming(services.natsPrefix).requestPrefix,
    });
  const app = await createGatewayApp({
    jwtSecret: gateway.jwtSecret,
    devTokens: false,
    requestClient,
    idempotencyStore,
    health,
    logger,
    metrics: processMetrics(),
    consoleDir: consoleDir(),
    ...(gateway.auditSigningKey ? { auditSigningKey: gateway.auditSigningKey.privateKey } : {}),
  });
  await app.listen(gateway.port, gateway.host);
  new Logger('gateway').log(
    `HTTP on http://${gateway.host}:${gateway.port}, services over ${services.natsUrl} (${describeNatsAuth(services.natsAuth)})`,
  );
  closeOnSignal('gateway', async () => {
    await app.close();
    await requestClient.close();
    await healthNats.drain();
    await sql.close();
  });
}

main().catch(exitOnStartFailure('gateway'));
