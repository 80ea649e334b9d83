import { setTimeout as sleep } from 'node:timers/promises';
import type { AccordSystem, AppName, PrivateNats, PrivatePostgres, SmtpSink } from './ports';
import { startDuplicatingProxy, type DuplicatingProxy } from './faults/duplicating-proxy';

/** What a drill may break. */
export interface DrillWorld {
  readonly system: AccordSystem;
  readonly postgres: PrivatePostgres;
  readonly nats: PrivateNats;
  readonly smtp: SmtpSink;
  readonly streamName: string;
  /** The short form (CI): shorter outages, fewer kills. */
  readonly short: boolean;
}

/** Cleans up what `inject` left running (the proxy), after the load stopped. */
export type AfterLoad = () => Promise<void>;

export interface Drill {
  readonly name: string;
  /** Connection refused/reset count as answers during the fault (the only gateway is killed). */
  readonly allowTransportErrors?: boolean;
  /** Breaks something and repairs it; resolves when the repair is done (the fault window's end). */
  inject(world: DrillWorld): Promise<AfterLoad | void>;
}

const SERVICES: readonly AppName[] = [
  'membership-service',
  'invitation-service',
  'api-token-service',
  'notification-service',
];

async function killAndRestart(system: AccordSystem, app: AppName, replicas: readonly number[]): Promise<void> {
  await Promise.all(replicas.map((replica) => system.kill(app, replica, 'SIGKILL')));
  for (const replica of replicas) await system.restart(app, replica);
}

/** The six drills, in order. */
export const DRILLS: readonly Drill[] = [
  {
    name: 'SIGKILL each service, then both membership replicas',
    async inject({ system, short }) {
      const apps = short ? (['invitation-service'] as const) : SERVICES;
      for (const app of apps) await killAndRestart(system, app, [0]);
      const replicas = Array.from({ length: system.replicas('membership-service') }, (_, i) => i);
      await killAndRestart(system, 'membership-service', replicas);
    },
  },
  {
    name: 'SIGKILL the relay lock holder',
    async inject({ system }) {
      const holder = await system.relayLockHolder();
      if (!holder) throw new Error('no process holds the relay lock');
      await killAndRestart(system, holder.app, [holder.replica]);
    },
  },
  {
    name: 'NATS stopped (JetStream store kept), then started',
    async inject({ nats, short }) {
      await nats.stop();
      await sleep(short ? 5_000 : 10_000);
      await nats.start();
    },
  },
  {
    name: 'PostgreSQL restart -m fast',
    async inject({ postgres }) {
      await postgres.restart('fast');
    },
  },
  {
    name: 'PostgreSQL restart -m immediate (crash recovery)',
    async inject({ postgres }) {
      await postgres.restart('immediate');
    },
  },
  {
    name: 'SMTP refusing, then accepting',
    async inject({ smtp, short }) {
      smtp.refuse(true);
      await sleep(short ? 10_000 : 30_000);
      smtp.refuse(false);
    },
  },
  {
    name: 'every JetStream event delivered twice',
    async inject({ nats, streamName, short }) {
      const proxy: DuplicatingProxy = await startDuplicatingProxy(nats.url, streamName);
      await sleep(short ? 8_000 : 20_000);
      return () => proxy.stop();
    },
  },
];
