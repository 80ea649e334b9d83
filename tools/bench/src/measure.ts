import { performance } from 'node:perf_hooks';
import type { PayloadOf, QueryRequest, QuerySubject } from '@accord/contracts';
import type { RequestClient } from '@accord/messaging';

/** Shared by the benchmarks: latency percentiles and a printed line per measurement. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function report(label: string, latenciesMs: readonly number[], elapsedMs: number, unit = 'checks'): void {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const perSecond = Math.round((latenciesMs.length / elapsedMs) * 1000);
  console.log(
    `${label.padEnd(38)} ${String(perSecond).padStart(9)} ${unit}/s   p50 ${percentile(sorted, 50).toFixed(3)} ms   p99 ${percentile(sorted, 99).toFixed(3)} ms`,
  );
}

/** Times `count` synchronous calls one by one. */
export function measureDirect(label: string, count: number, call: (i: number) => unknown, unit?: string): void {
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    call(i);
    latencies.push(performance.now() - t0);
  }
  report(label, latencies, performance.now() - start, unit);
}

/** `count` requests through a RequestClient with `concurrency` in flight; any error reply aborts. */
export async function measureRequests<S extends QuerySubject>(
  label: string,
  client: RequestClient,
  subject: S,
  count: number,
  concurrency: number,
  request: () => QueryRequest<PayloadOf<S>>,
  unit?: string,
): Promise<void> {
  const latencies: number[] = [];
  const start = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < count) {
        const t0 = performance.now();
        const reply = await client.send(subject, request());
        latencies.push(performance.now() - t0);
        if (!reply.ok) throw new Error(`${subject} failed: ${reply.error.code}`);
      }
    }),
  );
  report(`${label} (${concurrency} in flight)`, latencies, performance.now() - start, unit);
}
