import type { Metrics } from '@trellis/kit';
import { Gauge } from 'prom-client';

/** A gauge registered once by name in the process's registry. */
function gauge(metrics: Metrics, name: string, help: string): Gauge {
  return (
    (metrics.registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({ name, help, registers: [metrics.registry] })
  );
}

/** The dispatcher's metrics (docs/webhooks.md#metrics). */
export function dispatcherMetrics(metrics: Metrics) {
  return {
    deliveries: metrics.counter(
      'webhook_deliveries_total',
      'Webhook delivery attempts by outcome (delivered, failed: retried later, dead)',
      ['outcome'],
    ),
    seconds: metrics.histogram(
      'webhook_delivery_seconds',
      'Time a receiver took to answer a webhook attempt',
      ['outcome'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    outboxLag: gauge(
      metrics,
      'outbox_lag_seconds',
      'Age of the oldest outbox event not yet fanned out to subscriptions',
    ),
    deadLetters: gauge(metrics, 'webhook_dead_letters', 'Webhook deliveries given up (DEAD)'),
  };
}
