import { readFileSync } from 'node:fs';
import { credsAuthenticator, type Authenticator } from 'nats';

/**
 * How one process proves who it is to NATS (DESIGN.md "Trust": every process has its own NATS user
 * with subject permissions). Either a user and password, or a credentials file (decentralised
 * JWT auth), or nothing (a NATS server without auth, such as a developer's loopback one).
 */
export interface NatsAuth {
  readonly user?: string;
  readonly pass?: string;
  /** Path of a `.creds` file; read at every (re)connect, so a rotated file is picked up. */
  readonly credsFile?: string;
  /**
   * Reply subjects of this process's requests (`<inboxPrefix>.<id>`). With users, each one gets
   * its own (`_INBOX.<user>`), so no user may subscribe to another user's replies.
   */
  readonly inboxPrefix?: string;
}

/** The nats.js connection options (also accepted by Nest's NATS transport) for `auth`. */
export interface NatsAuthConnectionOptions {
  user?: string;
  pass?: string;
  authenticator?: Authenticator;
  inboxPrefix?: string;
}

/**
 * Spread into every `connect(...)`, `natsServerOptions(...)` and Nest client options of a process,
 * so all of its connections authenticate as the same user and reply on the same inbox prefix.
 * `undefined` or an empty object adds nothing.
 */
export function natsAuthOptions(auth: NatsAuth | undefined): NatsAuthConnectionOptions {
  if (!auth) return {};
  const options: NatsAuthConnectionOptions = {};
  if (auth.credsFile) {
    const file = auth.credsFile;
    options.authenticator = credsAuthenticator(() => readFileSync(file));
  } else if (auth.user !== undefined) {
    options.user = auth.user;
    if (auth.pass !== undefined) options.pass = auth.pass;
  }
  if (auth.inboxPrefix) options.inboxPrefix = auth.inboxPrefix;
  return options;
}

/** Who a connection authenticates as, for start-up logs (never the secret). */
export function describeNatsAuth(auth: NatsAuth | undefined): string {
  if (auth?.credsFile) return `credentials file ${auth.credsFile}`;
  if (auth?.user !== undefined) return `user ${auth.user}`;
  return 'no authentication';
}
