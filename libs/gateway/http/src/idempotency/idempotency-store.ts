/**
 * Storage of `Idempotency-Key` outcomes (IETF draft "The Idempotency-Key HTTP Header Field").
 *
 * A request is known by its `scope`: SHA-256 over the caller (user, how they act, token,
 * impersonator), the method, the path and the key. The store never sees the raw key, user id or
 * body: only that hash, the body's fingerprint (SHA-256 of its canonical JSON) and the recorded
 * response. Every replica of the gateway must share one store (PostgreSQL in production).
 */
export interface IdempotencyStore {
  /**
   * Tries to become the one attempt that runs the request of `scope`. Atomic across replicas:
   * of concurrent claims exactly one gets `claimed`.
   */
  claim(scope: string, fingerprint: string): Promise<ClaimOutcome>;
  /** Records the response of a claimed attempt (only while `lease` still holds the claim). */
  complete(scope: string, lease: string, response: RecordedResponse): Promise<void>;
  /** Gives a claim up without a response (5xx, 429, 503: the client should retry): the key is free again. */
  release(scope: string, lease: string): Promise<void>;
}

/** A response as it is replayed. `body` is null when it carried a secret shown once (not kept). */
export interface RecordedResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string | null;
  /** SHA-256 of the body as first sent, kept even when the body is not. */
  readonly bodySha256: string;
}

export type ClaimOutcome =
  /** This attempt runs the request; pass `lease` to `complete` or `release`. */
  | { readonly kind: 'claimed'; readonly lease: string }
  /** Another attempt with this scope is running (its lease has not run out). */
  | { readonly kind: 'in_progress'; readonly fingerprint: string }
  /** An earlier attempt completed: replay its response (when the fingerprint matches). */
  | { readonly kind: 'completed'; readonly fingerprint: string; readonly response: RecordedResponse };

/** How long a recorded outcome answers a retry (the draft's suggested 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long an attempt holds its claim without completing. Longer than any request of the gateway
 * may run (service timeouts and `minPosition` waits are seconds); after it a process that died
 * mid-request no longer blocks the key, and a retry with the same body runs again.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

/**
 * A store in this process's memory: for unit specs and a gateway without a database only. It does
 * not survive a restart and is not shared by replicas; the composition roots pass `SqlIdempotencyStore`.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<
    string,
    {
      fingerprint: string;
      lease: string | null;
      leasedUntil: number;
      expiresAt: number;
      response: RecordedResponse | null;
    }
  >();
  private leases = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async claim(scope: string, fingerprint: string): Promise<ClaimOutcome> {
    const now = this.clock();
    const entry = this.entries.get(scope);
    const stale = entry && entry.response === null && entry.leasedUntil <= now && entry.fingerprint === fingerprint;
    if (!entry || entry.expiresAt <= now || stale) {
      const lease = `lease-${++this.leases}`;
      this.entries.set(scope, {
        fingerprint,
        lease,
        leasedUntil: now + IDEMPOTENCY_LEASE_MS,
        expiresAt: now + IDEMPOTENCY_TTL_MS,
        response: null,
      });
      return { kind: 'claimed', lease };
    }
    return entry.response
      ? { kind: 'completed', fingerprint: entry.fingerprint, response: entry.response }
      : { kind: 'in_progress', fingerprint: entry.fingerprint };
  }

  async complete(scope: string, lease: string, response: RecordedResponse): Promise<void> {
    const entry = this.entries.get(scope);
    if (entry?.lease === lease) this.entries.set(scope, { ...entry, lease: null, response });
  }

  async release(scope: string, lease: string): Promise<void> {
    if (this.entries.get(scope)?.lease === lease) this.entries.delete(scope);
  }
}
