import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName } from '@heed/contracts';

/**
 * Process-wide Powertools singletons: one logger and one metrics buffer per Lambda. Powertools
 * Tracer is left out on purpose: its X-Ray SDK was a third of every bundle (≈105 KB with semver
 * and cls-hooked) and most of the cold-start import; Lambda's active tracing still records every
 * invocation in X-Ray, and Heed's own metrics and logs time what matters.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'heed' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Heed' });

export { MetricUnit };
export type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface MetricRecord {
  readonly name: string;
  readonly unit: Unit;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

const observers = new Set<(record: MetricRecord) => void>();

/** Lets the local runtime and its tests see every metric without parsing EMF from stdout. */
export const observeMetrics = (observer: (record: MetricRecord) => void): (() => void) => {
  observers.add(observer);
  return () => observers.delete(observer);
};

/**
 * Records one metric. Dimensioned metrics go out as their own EMF blob so a dimension (channel,
 * locale) never leaks onto the handler's other metrics. Dimensions must never carry PII.
 */
export const recordMetric = (
  name: MetricName,
  unit: Unit,
  value: number,
  dimensions: Readonly<Record<string, string>> = {},
): void => {
  for (const observer of observers) observer({ name, unit, value, dimensions });
  if (Object.keys(dimensions).length === 0) {
    metrics.addMetric(name, unit, value);
    return;
  }
  const single = metrics.singleMetric();
  single.addDimensions({ ...dimensions });
  single.addMetric(name, unit, value);
};
