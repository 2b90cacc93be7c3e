import {
  type Aggregator,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

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
  /**
   * SQL statements sent, by subgraph and kind: `query` is what the subgraph's code asked for
   * (what grows with bad batching), `control` the transaction envelope that row-level security
   * adds around it (BEGIN, the tenancy settings, COMMIT/ROLLBACK). Their sum is what was sent.
   */
  readonly dbStatements = new Counter({
    name: 'db_statements_total',
    help: "SQL statements sent to the database (kind: query = the code's statements, control = BEGIN, tenancy settings, COMMIT/ROLLBACK)",
    labelNames: ['subgraph', 'kind'] as const,
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

  /**
   * A gauge, registered once by name like `counter`. `aggregator`: how several worker
   * processes' values make one (`runWorkers`; prom-client's, default `sum`).
   */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    aggregator?: Aggregator,
  ) {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge<L>;
    return new Gauge({ name, help, labelNames, aggregator, registers: [this.registry] });
  }

  /**
   * What `/metrics` answers: this registry, or, where the process is one of several workers
   * behind the same ports, what `scrapeFrom` says (every worker's, aggregated).
   */
  scrape(): Promise<string> {
    return this.scraper ? this.scraper() : this.registry.metrics();
  }

  scrapeFrom(scraper: () => Promise<string>): void {
    this.scraper = scraper;
  }

  private scraper?: () => Promise<string>;

  /** A per-domain latency histogram (seconds), registered once by name like `counter`. */
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  ) {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<L>;
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** Statements a subgraph sent so far, of one kind (`query` by default) or `all`. */
  async statementCount(
    subgraph: string,
    kind: 'query' | 'control' | 'all' = 'query',
  ): Promise<number> {
    const metric = await this.dbStatements.get();
    return metric.values
      .filter(
        (v) =>
          v.labels.subgraph === subgraph && (kind === 'all' || (v.labels.kind ?? 'query') === kind),
      )
      .reduce((sum, v) => sum + v.value, 0);
  }
}
