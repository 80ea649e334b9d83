/** Exit codes of every `accord` command (README "Operations"). */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

/** Bad arguments, or a store / NATS the command cannot reach: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command ran and its check failed (a tampered export, a rebuilt read model that differs): exit 1. */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';
}
