export interface ApiTokenServiceOptions {
  /** How often last-used times are written (batched); default 10 s. */
  readonly lastUsedFlushMs?: number;
}

export const TOKEN_OPTIONS = Symbol('TOKEN_OPTIONS');
