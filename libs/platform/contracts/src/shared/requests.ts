import type { CommandMetadata } from '../envelope';

/** Every command travels with who/when/why; the service stamps them on the events. */
export interface CommandRequest<P> {
  readonly metadata: CommandMetadata;
  readonly payload: P;
  /** For commands that find their stream through a read model (e.g. accept by invitation id). */
  readonly minPosition?: number;
}

/** Queries may ask for read-your-writes: wait until the read model reached this position. */
export interface QueryRequest<P> {
  readonly payload: P;
  readonly minPosition?: number;
}

/** A command's reply: the store position of the last event it appended (or the current one). */
export interface CommandResult {
  readonly position: number;
}

/** A request about one account (its members, billing accounts, custom roles, accesses). */
export interface AccountPayload {
  readonly accountId: string;
}
