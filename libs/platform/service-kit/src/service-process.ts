import { Logger, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type NatsConnection } from 'nats';
import {
  createEventStore,
  createSqlClient,
  ensureDatabase,
  validateAccordEvent,
  type SqlClient,
} from '@accord/eventstore';
import {
  describeNatsAuth,
  EventRelay,
  JetStreamEventConsumer,
  natsAuthOptions,
  NatsRequestClient,
  natsServerOptions,
} from '@accord/messaging';
import type { ServicesConfig } from './config';
import { processHealth } from './consumer-health';
import { answerHealthRequests, healthServiceOfQueue } from './health-over-nats';
import { natsNaming } from './nats-naming';
import { ServicesRootModule } from './services-root.module';
import type { ProcessLogger } from './logging/create-logger';
import { nestLoggerFor } from './logging/nest-logger';
import { startOpsServer } from './metrics/ops-server';
import { processMetrics } from './metrics/process-metrics';
import { serviceReadiness } from './metrics/service-readiness';

const ACK_WAIT_MS = 5_000;

export interface ServiceProcess {
  readonly app: INestMicroservice;
  /** The port of its HTTP ops server (`/health/live`, `/health`, `/metrics`). */
  readonly opsPort: number;
  close(): Promise<void>;
}

/**
 * Composition root of one service in the services profile: PostgreSQL event store and read
 * models, Nest's NATS transport in the service's queue group, JetStream durable consumers, and a
 * relay (store → JetStream) that stays on standby unless this process holds the relay lock.
 */
export async function startServiceProcess(options: {
  readonly name: string;
  readonly queue: string;
  readonly module: Type | DynamicModule;
  readonly config: ServicesConfig;
  /** The process's pino logger: Nest's lines become its JSON lines. Default: Nest's console logger. */
  readonly logger?: ProcessLogger;
}): Promise<ServiceProcess> {
  const { config } = options;
  const naming = natsNaming(config.natsPrefix);
  await ensureDatabase(config.databaseUrl);
  const sql: SqlClient = await createSqlClient({ databaseUrl: config.databaseUrl });
  // Every event is validated against its schema before append (SEC-2b).
  const metrics = processMetrics();
  const store = await createEventStore(sql, { validateEvent: validateAccordEvent, observer: metrics.appendObserver });
  // Every NATS connection of the process authenticates as its own NATS user (DESIGN.md "Trust").
  const nats: NatsConnection = await connect({
    servers: config.natsUrl,
    name: `${options.name}-events`,
    ...natsAuthOptions(config.natsAuth),
  });
  const relay = new EventRelay({ store, sql, nats, databaseUrl: config.databaseUrl, ...naming });
  relay.start();
  const unwatch = [metrics.watchStore(store), metrics.watchRelay(relay)];
  // A message pulled by a replica that dies is redelivered after the ack wait: keep it short (the
  // consumer extends it while a handler works), so a crash delays reactions by seconds, not half a minute.
  const consumer = new JetStreamEventConsumer({ nats, ...naming, ackWaitMs: ACK_WAIT_MS, health: processHealth });
  const requests = new NatsRequestClient({
    servers: config.natsUrl,
    prefix: naming.requestPrefix,
    name: `${options.name}-requests`,
    auth: config.natsAuth,
    observer: metrics.requestObserver('nats'),
  });
  const app = await NestFactory.createMicroservice(
    ServicesRootModule.forRoot({ store, sql, consumer, requests }, [options.module]),
    {
      ...natsServerOptions({
        servers: config.natsUrl,
        queue: options.queue,
        prefix: naming.requestPrefix,
        name: options.name,
        auth: config.natsAuth,
      }),
      bufferLogs: false,
      ...(options.logger ? { logger: nestLoggerFor(options.logger) } : {}),
    },
  );
  await app.listen();
  // Readiness details of THIS process (its projections, read models and reactors): every replica
  // answers `accord.health.<service>`; the gateway gathers them for GET /health (SEC-3c).
  const healthService = healthServiceOfQueue(options.queue);
  const health = healthService
    ? answerHealthRequests(nats, { service: healthService, prefix: naming.requestPrefix, health: processHealth })
    : null;
  // Probes and Prometheus reach a service on its ops port: it takes no other HTTP.
  const ops = await startOpsServer({
    port: config.opsPort,
    host: config.opsHost,
    metrics: () => metrics.scrape(),
    readiness: serviceReadiness({ nats, sql, health: processHealth }),
  }).catch((error: Error) => {
    throw new Error(`OPS_PORT ${config.opsPort} on ${config.opsHost}: ${error.message}`);
  });
  new Logger(options.name).log(
    `listening on NATS ${config.natsUrl} (queue ${options.queue}, ${describeNatsAuth(config.natsAuth)}), ` +
      `ops HTTP on ${config.opsHost}:${ops.port}`,
  );
  return {
    app,
    opsPort: ops.port,
    async close() {
      await ops.close();
      for (const stop of unwatch) stop();
      health?.unsubscribe();
      await app.close();
      await requests.close();
      await relay.stop();
      await nats.drain();
      await store.close();
      await sql.close();
    },
  };
}
