import { randomUUID } from 'node:crypto';
import {
  CALLER_HEADER,
  type Caller,
  createLogger,
  type FlagSettings,
  Flags,
  Metrics,
  signCaller,
  startSubgraph,
} from '@trellis/kit';
import type { Database, SliceName } from '@trellis/prisma';
import { SUBGRAPHS } from '@trellis/runner';

/** What `measureRequests` answers: latency percentiles, statements and items found per request. */
export interface RequestMeasure {
  p50: number;
  p99: number;
  perRequest: number;
  found: number;
}

/**
 * Runs `run` `warmUp` times unmeasured, then `iterations` times one at a time: p50/p99 latency
 * (ms), SQL statements per request (from the `statements()` counter) and what each run found.
 */
export async function measureRequests(
  run: (i: number) => Promise<number>,
  options: { iterations: number; warmUp: number; statements: () => number },
): Promise<RequestMeasure> {
  for (let i = 0; i < options.warmUp; i++) await run(i);
  const times: number[] = [];
  let found = 0;
  const before = options.statements();
  for (let i = 0; i < options.iterations; i++) {
    const t = performance.now();
    found += await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  return {
    p50: pct(50),
    p99: pct(99),
    perRequest: (options.statements() - before) / options.iterations,
    found: found / options.iterations,
  };
}

/** A subgraph served over HTTP as the gateway calls it (signed caller), for a bench. */
export interface BenchSubgraph {
  /** query statements of its slice so far */
  statements(): number;
  /** one request as `orgId`'s caller: its `data` (errors throw) */
  ask(orgId: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

const BENCH_SECRET = 'bench-signing-secret-0123456789abcdef0123456789';

/** Starts subgraph `name` on `db` with `flags` on port 0, counting its slice's query statements. */
export async function benchSubgraph(
  db: Database,
  name: SliceName,
  flags: FlagSettings = {},
): Promise<BenchSubgraph> {
  let statements = 0;
  db.onStatement(
    (slice) => {
      if (slice === name) statements++;
    },
    ['query'],
  );
  const deps = {
    db,
    flags: Flags.fromSettings(flags),
    metrics: new Metrics({ defaultMetrics: false }),
    logger: createLogger('bench', process.env.LOG_LEVEL ?? 'silent'),
  };
  const server = await startSubgraph(SUBGRAPHS.find((s) => s.name === name)!.create(deps), deps, {
    port: 0,
    host: '127.0.0.1',
    signingSecret: BENCH_SECRET,
    development: false,
  });
  return {
    statements: () => statements,
    async ask(orgId, query, variables = {}) {
      const caller: Caller = { subject: 'bench', orgId, scopes: new Set() };
      const res = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLER_HEADER]: await signCaller(caller, BENCH_SECRET, randomUUID()),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
      return body.data;
    },
    close: () => server.close(),
  };
}
