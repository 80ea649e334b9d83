import { Registry } from 'prom-client';
import { AccordMetrics } from './accord-metrics';

/** Nest injection token of the process's `AccordMetrics` (InfrastructureModule provides it). */
export const METRICS = Symbol('METRICS');

let processRegistry: Registry | null = null;

/**
 * THE metrics of this process, on a registry of its own (never prom-client's global one): what the
 * gateway's `/metrics` and a service's ops port serve. Created on first use, with the Node.js and
 * process metrics. Each Jest spec file gets its own; platforms started in one file share it.
 */
export function processMetrics(): AccordMetrics {
  processRegistry ??= new Registry();
  return AccordMetrics.for(processRegistry).withDefaultMetrics();
}
