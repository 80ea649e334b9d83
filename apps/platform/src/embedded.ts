import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { ApiTokenServiceModule, type ApiTokenServiceOptions } from '@accord/api-token-service';
import {
  createEventStore,
  createSqlClient,
  validateAccordEvent,
  type EventStore,
  type SqlClient,
} from '@accord/eventstore';
import { createGatewayApp, SqlIdempotencyStore } from '@accord/gateway-http';
import { InvitationServiceModule, type InvitationServiceOptions } from '@accord/invitation-service';
import { MembershipServiceModule } from '@accord/membership-service';
import { InProcessRequestClient, InProcessTransport, StoreEventConsumer } from '@accord/messaging';
import { NotificationServiceModule, type WebhookOptions } from '@accord/notification-service';
import {
  consoleDir,
  lockDataDir,
  nestLoggerFor,
  processHealth,
  processMetrics,
  ServicesRootModule,
  type DataDirLock,
  type EmbeddedConfig,
  type ProcessLogger,
} from '@accord/service-kit';

export interface EmbeddedPlatform {
  readonly gateway: NestFastifyApplication;
  /** The event store, for operators' tools and end-to-end specs. */
  readonly store: EventStore;
  /** The PGlite database of the event store and the read models (end-to-end specs compare them). */
  readonly sql: SqlClient;
  /** The services' Nest app (end-to-end specs reach providers through it). */
  readonly services: INestMicroservice;
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The embedded profile: every service in this one process on PGlite under DATA_DIR. The services
 * run in a Nest microservice on the in-process transport (the same message controllers NATS
 * serves), their reactions consume the event store itself (checkpointed, at-least-once), and the
 * gateway talks to them through the in-process request client.
 */
export interface EmbeddedOptions {
  /** Nest's console logger (default), none (`false`, specs), or the process's pino logger (JSON or pretty lines). */
  readonly logger?: boolean | ProcessLogger;
  /** Test knobs (e.g. a fast expiry scheduler). */
  readonly invitations?: Partial<Omit<InvitationServiceOptions, 'linkKey'>>;
  readonly tokens?: ApiTokenServiceOptions;
  /** Test knobs of webhook delivery (a clock to advance, a short backoff). */
  readonly webhooks?: Omit<WebhookOptions, 'allowLoopback'>;
}

export async function startEmbedded(config: EmbeddedConfig, options: EmbeddedOptions = {}): Promise<EmbeddedPlatform> {
  // One process per data folder: PGlite does not refuse a second one, it gets corrupted by it.
  const lock = lockDataDir(config.dataDir, 'server');
  try {
    return await startOnLockedDataDir(config, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startOnLockedDataDir(
  config: EmbeddedConfig,
  options: EmbeddedOptions,
  lock: DataDirLock,
): Promise<EmbeddedPlatform> {
  const sql = await createSqlClient({ dataDir: join(config.dataDir, 'pglite') });
  // One process, one metrics registry: the gateway's /metrics shows the services' metrics too.
  const metrics = processMetrics();
  // Every event is validated against its schema before append (SEC-2b).
  const store = await createEventStore(sql, { validateEvent: validateAccordEvent, observer: metrics.appendObserver });
  const unwatchStore = metrics.watchStore(store);
  const consumer = new StoreEventConsumer({ store, sql, health: processHealth });
  const transport = new InProcessTransport();
  // One client for the gateway and for services asking each other: both reach the same handlers.
  const requestClient = new InProcessRequestClient(transport, { observer: metrics.requestObserver('in-process') });
  const services = await NestFactory.createMicroservice(
    ServicesRootModule.forRoot({ store, sql, consumer, requests: requestClient }, [
      MembershipServiceModule,
      InvitationServiceModule.forRoot({ linkKey: config.linkKey, ...options.invitations }),
      ApiTokenServiceModule.forRoot(options.tokens),
      NotificationServiceModule.forRoot({
        linkKey: config.linkKey,
        publicUrl: config.publicUrl,
        // Without SMTP_URL, e-mails become .eml files a new user can open (README walk-through).
        mail: config.smtpUrl ? { smtpUrl: config.smtpUrl } : { mailDir: join(config.dataDir, 'mail') },
        // NOT-11: this machine's own receivers (loopback, http too) are for the embedded profile only.
        webhooks: { ...options.webhooks, allowLoopback: true },
      }),
    ]),
    {
      strategy: transport,
      logger:
        options.logger === false
          ? false
          : typeof options.logger === 'object'
            ? nestLoggerFor(options.logger)
            : undefined,
    },
  );
  await services.listen();

  const gateway = await createGatewayApp({
    jwtSecret: config.jwtSecret,
    // The dev token endpoint lets anyone become anyone: loopback only unless configured (config.ts).
    devTokens: config.devTokens,
    requestClient,
    // Idempotency-Key outcomes in the same PGlite database: they survive a restart (SEC-12).
    idempotencyStore: await SqlIdempotencyStore.open(sql),
    // GET /health readiness details: the projections and reactors of this one process (SEC-3c).
    health: async () => processHealth.snapshot(),
    auditSigningKey: config.auditSigningKey.privateKey,
    metrics,
    logger: options.logger,
    consoleDir: consoleDir(),
  });
  await gateway.listen(config.port, config.host);
  const address = gateway.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  new Logger('Accord').log(`embedded profile: HTTP on ${url}, data in ${config.dataDir}`);
  lock.describe({ url });

  return {
    gateway,
    store,
    sql,
    services,
    url,
    async close() {
      await gateway.close();
      await requestClient.close();
      await services.close();
      unwatchStore();
      await store.close();
      await sql.close();
      lock.release();
    },
  };
}
