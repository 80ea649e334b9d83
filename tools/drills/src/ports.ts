/**
 * The drill suite's parts and how they meet. `infra/` starts what a drill may break (a private
 * PostgreSQL cluster, a private NATS with JetStream, an SMTP sink, the Accord processes); `load/`
 * drives and records HTTP traffic; `checks/` read the private store, stream and mailbox after a
 * drill; `drills.ts` composes them and prints the table.
 */

/** A PostgreSQL cluster of the drill's own (initdb into a temporary directory, pg_ctl on a free port). */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/DB` of the drill's database (created at start). */
  readonly databaseUrl: string;
  readonly port: number;
  /** The server log (`pg_ctl -l`), for a drill's report. */
  readonly logFile: string;
  /** `pg_ctl restart -m fast|immediate` (immediate: crash recovery on the next start). */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  destroy(): Promise<void>;
}

/** A nats-server of the drill's own (`-js`, store in a temporary directory kept across restarts). */
export interface PrivateNats {
  /** `nats://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** stdout+stderr of every nats-server run (appended), for a drill's report. */
  readonly logFile: string;
  /** SIGTERM, wait for the exit; the JetStream store directory is kept. */
  stop(): Promise<void>;
  /** Starts again on the same port and store. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** One e-mail as the SMTP sink received it. */
export interface ReceivedMail {
  readonly messageId: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly receivedAt: number;
}

/** An SMTP server on loopback that records every mail and can refuse for a while. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT` */
  readonly url: string;
  readonly received: readonly ReceivedMail[];
  /** While true every transaction is refused with a temporary (4xx) error. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

/** The Accord apps as processes (the services profile), on the private infrastructure. */
export type AppName =
  'gateway' | 'membership-service' | 'invitation-service' | 'api-token-service' | 'notification-service';

export interface AccordSystem {
  /** `http://127.0.0.1:PORT` of the gateway. */
  readonly baseUrl: string;
  readonly jwtSecret: string;
  /** NATS subject prefix / stream naming of this system (`natsNaming(prefix)` of service-kit). */
  readonly natsPrefix: string;
  /** Replicas per app (index 0, 1, …) as started. */
  replicas(app: AppName): number;
  /** Directory of the replicas' logs (`<app>-<replica>.log`: stdout+stderr, appended across restarts). */
  readonly logDir: string;
  logFile(app: AppName, replica: number): string;
  /** OS pid of a running replica, or null while it is down. */
  pid(app: AppName, replica: number): number | null;
  /** Every replica exit so far; `expected: false` = nothing asked it to exit (a crash: a drill finding). */
  exits(): readonly {
    readonly app: AppName;
    readonly replica: number;
    readonly pid: number;
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly at: number;
    readonly expected: boolean;
  }[];
  /** Sends `signal` to one replica and waits for its exit. */
  kill(app: AppName, replica: number, signal: NodeJS.Signals): Promise<void>;
  /** Starts a replica again (same environment) and waits until the system answers. */
  restart(app: AppName, replica: number): Promise<void>;
  /** The replica holding the relay lock now (PostgreSQL advisory lock), or null. */
  relayLockHolder(): Promise<{ app: AppName; replica: number } | null>;
  /** Until every app answers through the gateway (bounded). */
  waitUntilUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** One HTTP request of the load and what came back. */
export interface RecordedRequest {
  /** Sent as `x-request-id`: the correlation id of every event the command appends. */
  readonly requestId: string;
  /**
   * What it was: 'create-account', 'share', 'accept', 'change-role', 'remove-member', 'issue-token',
   * 'revoke-token', 'authz-check', …
   */
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status, or 0 for a transport error / timeout (see `error`). */
  readonly status: number;
  readonly retryAfter: string | null;
  readonly error: string | null;
  /**
   * For authz checks: the minPosition asked for, the answer, and (when the load knows it) the answer
   * the state at `minPosition` gives: a different answer on a 200 was given from older state.
   */
  readonly authz?: { readonly minPosition?: number; readonly allowed?: boolean; readonly expectedAllowed?: boolean };
  /** A command's answer `position` (its last event's global position), when it answered one. */
  readonly position?: number;
}

/** One row of the drill table. */
export interface DrillResult {
  readonly drill: string;
  readonly sent: number;
  readonly ok2xx: number;
  readonly unavailable503: number;
  readonly other: number;
  readonly eventsLost: number;
  readonly duplicatesSeen: number;
  readonly readModelsDiffering: number;
  /** ms from the end of the fault to the first 2xx, or null when never recovered. */
  readonly timeToRecoverMs: number | null;
  /** Every failed assertion, in words (empty when the drill passed). */
  readonly failures: readonly string[];
}
