import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Type } from '@nestjs/common';
import type { EventStore, SqlClient } from '@accord/eventstore';
import { ProjectionRunner, type Projection } from '@accord/projections';
import { processHealth } from './consumer-health';
import { EVENT_STORE, SQL_CLIENT } from './tokens';

/**
 * A Nest provider class that keeps `projection` up to date while the app runs:
 * `export class MembershipReadModel extends ManagedProjection(membershipProjection) {}`.
 * It reports to the process's health registry; on an event it cannot apply it stops alone after
 * bounded retries and its waits fail fast (`ReadModelFailedError`), see `ProjectionRunner`.
 */
export function ManagedProjection(projection: Projection): Type<ProjectionRunner> {
  @Injectable()
  class Managed extends ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
    constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(SQL_CLIENT) sql: SqlClient) {
      super(store, sql, projection, { health: processHealth });
    }

    onApplicationBootstrap() {
      return this.start();
    }

    onApplicationShutdown() {
      return this.stop();
    }
  }
  return Managed;
}
