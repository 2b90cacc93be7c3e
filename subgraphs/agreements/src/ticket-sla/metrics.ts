import type { Metrics } from '@trellis/kit';

/** SLA breaches announced (`sla.breached`), once per ticket and metric. */
export const breachCounter = (metrics: Metrics) =>
  metrics.counter('sla_breaches_total', 'SLA breaches announced, by metric and ticket priority', [
    'metric',
    'priority',
  ]);
