import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { EventStore, SqlClient } from '@accord/eventstore';
import { EVENT_CONSUMER, REQUEST_CLIENT, type EventConsumer, type RequestClient } from '@accord/messaging';
import type { AccordMetrics } from './metrics/accord-metrics';
import { METRICS, processMetrics } from './metrics/process-metrics';
import { EVENT_STORE, SQL_CLIENT } from './tokens';

/** What the service modules need from the outside world; the composition root builds it. */
export interface Infrastructure {
  readonly store: EventStore;
  readonly sql: SqlClient;
  readonly consumer: EventConsumer;
  /**
   * Requests to the other services (NATS, or in-process in the embedded profile): a service asks
   * another context for the facts its own rules need, instead of trusting the gateway's word.
   */
  readonly requests: RequestClient;
  /** Where the services record their metrics; default: the process's (`processMetrics()`). */
  readonly metrics?: AccordMetrics;
}

/** Provides the profile's adapters to every service module under the runtime's tokens. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(infrastructure: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: SQL_CLIENT, useValue: infrastructure.sql },
        { provide: EVENT_CONSUMER, useValue: infrastructure.consumer },
        { provide: REQUEST_CLIENT, useValue: infrastructure.requests },
        { provide: METRICS, useFactory: () => infrastructure.metrics ?? processMetrics() },
      ],
      exports: [EVENT_STORE, SQL_CLIENT, EVENT_CONSUMER, REQUEST_CLIENT, METRICS],
    };
  }
}
