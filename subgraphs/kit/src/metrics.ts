import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, served on every listener's `/metrics`. */
export class Metrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency',
    labelNames: ['service', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly requestErrors = new Counter({
    name: 'graphql_request_errors_total',
    help: 'GraphQL errors answered, by code',
    labelNames: ['service', 'code'] as const,
    registers: [this.registry],
  });
  readonly dbStatements = new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to the database',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  async statementCount(subgraph: string): Promise<number> {
    const metric = await this.dbStatements.get();
    return metric.values.find((v) => v.labels.subgraph === subgraph)?.value ?? 0;
  }
}
