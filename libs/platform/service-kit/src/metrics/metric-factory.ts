import {
  Counter,
  Gauge,
  Histogram,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Registry,
} from 'prom-client';

/**
 * Metric creation that may run twice on one registry (several platforms in one Jest process, a
 * module loaded twice): the metric already registered under the name is returned, never a second
 * one, which prom-client would refuse. A name taken by another kind of metric is a bug: it throws.
 */
function registered<M>(registry: Registry, name: string, kind: abstract new (...args: never[]) => M): M | undefined {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return undefined;
  if (!(existing instanceof kind)) throw new Error(`Metric ${name} is already registered as another kind`);
  return existing;
}

/** The counter `config.name` of `registry`, created on first use. */
export function counterOf<L extends string>(registry: Registry, config: CounterConfiguration<L>): Counter<L> {
  return (
    (registered(registry, config.name, Counter) as Counter<L> | undefined) ??
    new Counter({ ...config, registers: [registry] })
  );
}

/** The gauge `config.name` of `registry`, created on first use. */
export function gaugeOf<L extends string>(registry: Registry, config: GaugeConfiguration<L>): Gauge<L> {
  return (
    (registered(registry, config.name, Gauge) as Gauge<L> | undefined) ??
    new Gauge({ ...config, registers: [registry] })
  );
}

/** The histogram `config.name` of `registry`, created on first use. */
export function histogramOf<L extends string>(registry: Registry, config: HistogramConfiguration<L>): Histogram<L> {
  return (
    (registered(registry, config.name, Histogram) as Histogram<L> | undefined) ??
    new Histogram({ ...config, registers: [registry] })
  );
}
