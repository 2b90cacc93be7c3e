// Pricing benchmark (`pnpm bench`): numbers printed, not asserted.
//
// A generated dataset in an in-memory PGlite (10 000 SKUs, 50 000 price rules in books of every
// scope, 20 channels, 300 dealers), the pricing subgraph served over HTTP exactly as the gateway
// calls it (signed caller), and two workloads:
//   1. the flagship's pricing fetch: `_entities` of a 100-entry catalog page (CatalogEntry keys
//      carry channel and SKU) with `price(orgId:)`, as the gateway sends it;
//   2. `resolvePrices` with 1 000 inputs.
// Each is compared with one hand-written SQL query reading the same rules (the winning rule
// per SKU by DISTINCT ON, without relative rules' arithmetic or explanations): the lower bound.
//
// Then, when the catalog can publish (issue 3), the flagship end to end: OrgCatalogWithPrices
// through the gateway for a dealer whose channel lists 100 offerings (demo seed + 100 SKUs
// published through the API, the same 50 000 generated rules), against one hand-written SQL
// query reading the same data across the org_graph, catalog and pricing schemas — on PGlite,
// and on PostgreSQL too when TEST_DATABASE_URL is set (a scratch database, dropped after). Its
// server runs in a child process, so the server CPU per request (process.cpuUsage) is the
// server's alone; it prints control and query statements per request and throughput at 16
// clients of the flagship, the SQL query and `{ __typename }`.
//
// `pnpm bench` runs it as production does (NODE_ENV=production; the supergraph starts without
// development features).
//
// Options (environment): BENCH_ITERATIONS (default 200), BENCH_CONCURRENCY (default 8),
// BENCH_ONLY (pricing | flagship | responsibility: one part only), BENCH_BACKEND (pglite |
// postgres: the flagship on that one only), BENCH_PROFILE (a directory: the flagship server's
// CPU profile of its sequential phase is written there; with BENCH_HEAP=1, a sampled profile of
// what it allocates, collected objects included; with BENCH_HEAP=promoted, only what lived
// through a young-generation collection, which is what makes collections cost),
// BENCH_SNAPSHOT (with BENCH_PROFILE, a file: a heap snapshot of the flagship server after that
// phase and a full collection, to find what holds memory), BENCH_NODE_FLAGS (V8 and Node flags
// for the flagship server, e.g. `--trace-gc`), BENCH_SUBGRAPH_CALLS (local | http: how the
// flagship's gateway calls its subgraphs, as SUBGRAPH_CALLS; default local), BENCH_WORKERS
// (PostgreSQL: the flagship served by that many worker processes on one port, as WORKERS;
// server CPU is then theirs summed).
import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  CALLER_HEADER,
  type Caller,
  createLogger,
  FLAG_KEYS,
  Flags,
  Metrics,
  signCaller,
  startSubgraph,
} from '@trellis/kit';
import { type Database, migrateSlice, openDatabase } from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { migrateAll, SUBGRAPHS, startSupergraph } from '@trellis/runner';
import { composeSupergraph } from '@trellis/tools';
import { SignJWT } from 'jose';
import pg from 'pg';
import { scratchDatabase } from '../support/database.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECRET = 'bench-signing-secret-0123456789abcdef0123456789';

const SKUS = 10_000;
const CHANNELS = 20;
const DEALERS = 300;
const DISTRIBUTORS = 10;
const PAGE = 100;
const BATCH = 1000;
const AT = '2026-06-15T12:00:00.000Z';

/** The same ids as the SQL's md5(kind || ':' || i)::uuid. */
const uuid = (kind: string, i: number) => {
  const hex = createHash('md5').update(`${kind}:${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
const id = (kind: string) => `md5('${kind}:' || i)::uuid`;

/** 10 000 SKUs; 50 000 rules: see the counts printed. */
async function generate(db: Database) {
  const t0 = performance.now();
  await db.exec(`
    INSERT INTO org_graph.organization (id, name, type, updated_at)
      SELECT ${id('distributor')}, 'Distributor ' || i, 'DISTRIBUTOR', now() FROM generate_series(0, ${DISTRIBUTORS - 1}) i;
    INSERT INTO org_graph.organization (id, name, type, updated_at)
      SELECT ${id('dealer')}, 'Dealer ' || i, 'DEALER', now() FROM generate_series(0, ${DEALERS - 1}) i;
    INSERT INTO org_graph.channel (id, owner_org_id, code, name, currency, updated_at)
      SELECT ${id('channel')}, md5('distributor:' || (i % ${DISTRIBUTORS}))::uuid, 'CH-' || i, 'Channel ' || i,
             CASE WHEN i < 12 THEN 'EUR' WHEN i < 17 THEN 'USD' WHEN i < 19 THEN 'JPY' ELSE 'KWD' END, now()
      FROM generate_series(0, ${CHANNELS - 1}) i;
    -- every dealer buys in two channels: its own (i % 20) and (i + 7) % 20
    INSERT INTO org_graph.channel_member (channel_id, org_id)
      SELECT md5('channel:' || c)::uuid, md5('dealer:' || i)::uuid
      FROM generate_series(0, ${DEALERS - 1}) i, LATERAL (VALUES (i % ${CHANNELS}), ((i + 7) % ${CHANNELS})) AS m(c);

    -- books: GLOBAL lists per currency, a CHANNEL book and a promotion per channel, an ORG
    -- book per dealer, an ORG_CHANNEL book per dealer and channel it buys in
    INSERT INTO pricing.price_book (id, name, currency, scope, valid_from, updated_at)
      SELECT md5('list:' || c)::uuid, 'List ' || c, c, 'GLOBAL', '2025-01-01', now()
      FROM unnest(ARRAY['EUR', 'USD', 'JPY', 'KWD']) c;
    INSERT INTO pricing.price_book (id, name, currency, scope, channel_id, valid_from, updated_at)
      SELECT ${id('channel-book')}, 'Channel ' || i, ch.currency, 'CHANNEL', ch.id, '2025-01-01', now()
      FROM generate_series(0, ${CHANNELS - 1}) i JOIN org_graph.channel ch ON ch.id = md5('channel:' || i)::uuid;
    INSERT INTO pricing.price_book (id, name, currency, scope, channel_id, valid_from, valid_to, priority, updated_at)
      SELECT ${id('promo-book')}, 'Promotion ' || i, ch.currency, 'CHANNEL', ch.id, '2026-06-01', '2026-07-01', 10, now()
      FROM generate_series(0, ${CHANNELS - 1}) i JOIN org_graph.channel ch ON ch.id = md5('channel:' || i)::uuid;
    INSERT INTO pricing.price_book (id, name, currency, scope, org_id, valid_from, updated_at)
      SELECT ${id('org-book')}, 'Dealer ' || i, 'EUR', 'ORG', md5('dealer:' || i)::uuid, '2025-01-01', now()
      FROM generate_series(0, ${DEALERS - 1}) i;
    INSERT INTO pricing.price_book (id, name, currency, scope, org_id, channel_id, valid_from, updated_at)
      SELECT md5('org-channel-book:' || i || ':' || m.c)::uuid, 'Dealer ' || i || ' in ' || m.c, ch.currency, 'ORG_CHANNEL',
             md5('dealer:' || i)::uuid, ch.id, '2025-01-01', now()
      FROM generate_series(0, ${DEALERS - 1}) i, LATERAL (VALUES (i % ${CHANNELS}), ((i + 7) % ${CHANNELS})) AS m(c)
      JOIN org_graph.channel ch ON ch.id = md5('channel:' || m.c)::uuid;

    -- rules
    -- GLOBAL EUR: every SKU (10 000), tier from 10 for every other SKU (5 000)
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount, min_quantity)
      SELECT md5('r-list-eur:' || i)::uuid, md5('list:EUR')::uuid, ${id('sku')}, 'FIXED', 50 + (i % 950) + 0.99, 1
      FROM generate_series(0, ${SKUS - 1}) i;
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount, min_quantity)
      SELECT md5('r-tier-eur:' || i)::uuid, md5('list:EUR')::uuid, ${id('sku')}, 'FIXED', 45 + (i % 950) + 0.49, 10
      FROM generate_series(0, ${SKUS - 1}, 2) i;
    -- GLOBAL USD (5 000), JPY (2 000), KWD (1 000)
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount)
      SELECT md5('r-list-usd:' || i)::uuid, md5('list:USD')::uuid, ${id('sku')}, 'FIXED', 60 + (i % 900) + 0.95
      FROM generate_series(0, 4999) i;
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount)
      SELECT md5('r-list-jpy:' || i)::uuid, md5('list:JPY')::uuid, ${id('sku')}, 'FIXED', 8000 + (i % 900) * 10
      FROM generate_series(0, 1999) i;
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount)
      SELECT md5('r-list-kwd:' || i)::uuid, md5('list:KWD')::uuid, ${id('sku')}, 'FIXED', 15 + (i % 300) + 0.125
      FROM generate_series(0, 999) i;
    -- CHANNEL: 600 per channel (12 000), FIXED / PERCENT_OFF / AMOUNT_OFF
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount, percent)
      SELECT md5('r-channel:' || c || ':' || k)::uuid, md5('channel-book:' || c)::uuid,
             md5('sku:' || ((c * 500 + k) % ${SKUS}))::uuid,
             (ARRAY['FIXED', 'PERCENT_OFF', 'AMOUNT_OFF'])[1 + k % 3]::pricing."PriceRuleKind",
             CASE k % 3 WHEN 0 THEN 40 + k % 500 + 0.5 WHEN 2 THEN 5 ELSE NULL END,
             CASE k % 3 WHEN 1 THEN 3 + k % 7 ELSE NULL END
      FROM generate_series(0, ${CHANNELS - 1}) c, generate_series(0, 599) k;
    -- promotions: 150 per channel (3 000), 15% off in June 2026
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, percent)
      SELECT md5('r-promo:' || c || ':' || k)::uuid, md5('promo-book:' || c)::uuid,
             md5('sku:' || ((c * 500 + k * 3) % ${SKUS}))::uuid, 'PERCENT_OFF', 15
      FROM generate_series(0, ${CHANNELS - 1}) c, generate_series(0, 149) k;
    -- ORG: 20 per dealer (6 000), 8% off in its own channel's range
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, percent)
      SELECT md5('r-org:' || i || ':' || k)::uuid, md5('org-book:' || i)::uuid,
             md5('sku:' || (((i % ${CHANNELS}) * 500 + k * 5 + i % 5) % ${SKUS}))::uuid, 'PERCENT_OFF', 8
      FROM generate_series(0, ${DEALERS - 1}) i, generate_series(0, 19) k;
    -- ORG_CHANNEL: 10 per dealer and channel (6 000)
    INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount)
      SELECT md5('r-oc:' || i || ':' || m.c || ':' || k)::uuid, md5('org-channel-book:' || i || ':' || m.c)::uuid,
             md5('sku:' || ((m.c * 500 + (i + k * 10) % 100) % ${SKUS}))::uuid, 'FIXED', 30 + k + 0.25
      FROM generate_series(0, ${DEALERS - 1}) i, LATERAL (VALUES (i % ${CHANNELS}), ((i + 7) % ${CHANNELS})) AS m(c),
           generate_series(0, 9) k;
    ANALYZE;
  `);
  const [counts] = await db.query<{ books: number; rules: number; skus: number }>(
    `SELECT (SELECT count(*)::int FROM pricing.price_book) AS books,
            (SELECT count(*)::int FROM pricing.price_rule) AS rules,
            (SELECT count(DISTINCT sku_id)::int FROM pricing.price_rule) AS skus`,
  );
  console.log(
    `dataset: ${counts!.skus} SKUs, ${counts!.rules} rules in ${counts!.books} books, ${CHANNELS} channels, ${DEALERS} dealers (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

/** The lower bound: the winning rule per SKU, in one statement (no relative arithmetic). */
const LOWER_BOUND_SQL = `
SELECT DISTINCT ON (r.sku_id) r.sku_id, r.id, r.kind, r.amount, r.percent, b.scope
FROM pricing.price_rule r JOIN pricing.price_book b ON b.id = r.price_book_id
WHERE r.sku_id = ANY($1::uuid[]) AND b.status = 'ACTIVE' AND b.currency = $4
  AND (b.scope = 'GLOBAL' OR (b.scope = 'ORG' AND b.org_id = $2) OR (b.scope = 'CHANNEL' AND b.channel_id = $3)
       OR (b.scope = 'ORG_CHANNEL' AND b.org_id = $2 AND b.channel_id = $3))
  AND b.valid_from <= $5 AND (b.valid_to IS NULL OR $5 < b.valid_to)
  AND (r.valid_from IS NULL OR r.valid_from <= $5) AND (r.valid_to IS NULL OR $5 < r.valid_to)
  AND r.min_quantity <= $6
ORDER BY r.sku_id,
  CASE b.scope WHEN 'ORG_CHANNEL' THEN 3 WHEN 'CHANNEL' THEN 2 WHEN 'ORG' THEN 1 ELSE 0 END DESC,
  r.min_quantity DESC, r.priority DESC, b.priority DESC,
  greatest(b.valid_from, coalesce(r.valid_from, b.valid_from)) DESC, r.created_at DESC, r.id`;

interface Stats {
  median: number;
  p99: number;
  perSecond: number;
  statements: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * A workload and its lower bound, compared in one run: latency of sequential requests, the two
 * alternating request by request (so the machine's noise hits both alike), then throughput of
 * each with `CONCURRENCY` requests in flight.
 */
async function compare(
  run: (i: number) => Promise<void>,
  bound: (i: number) => Promise<void>,
  statements: () => number,
  iterations = ITERATIONS,
): Promise<{ workload: Stats; bound: Stats }> {
  for (let i = 0; i < Math.min(20, iterations); i++) {
    await run(i); // warm-up
    await bound(i);
  }
  const times: [number[], number[]] = [[], []];
  const timed = async (k: 0 | 1, f: (i: number) => Promise<void>, i: number) => {
    const t = performance.now();
    await f(i);
    times[k].push(performance.now() - t);
  };
  let workloadStatements = 0;
  for (let i = 0; i < iterations; i++) {
    const before = statements();
    await timed(0, run, i);
    workloadStatements += statements() - before;
    await timed(1, bound, i);
  }
  const throughput = async (f: (i: number) => Promise<void>) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < iterations) await f(next++);
      }),
    );
    return iterations / ((performance.now() - t0) / 1000);
  };
  const stats = (sample: number[], perSecond: number, perRequest: number): Stats => {
    const sorted = [...sample].sort((a, b) => a - b);
    return {
      median: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      perSecond,
      statements: perRequest,
    };
  };
  return {
    workload: stats(times[0], await throughput(run), workloadStatements / iterations),
    bound: stats(times[1], await throughput(bound), 0),
  };
}

const row = (name: string, s: Stats, lower?: Stats) =>
  `${name.padEnd(40)} ${s.median.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)} ${s.perSecond.toFixed(0).padStart(8)} ${s.statements.toFixed(1).padStart(6)} ${lower ? `${(s.median / lower.median).toFixed(1)}×`.padStart(8) : '       —'}`;

async function main() {
  const db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'org-graph');
  await migrateSlice(db, 'pricing');
  await generate(db);
  let statements = 0;
  db.onStatement((slice) => {
    if (slice === 'pricing') statements++;
  });
  const count = () => statements;

  const logger = createLogger('bench', process.env.LOG_LEVEL ?? 'silent');
  const flags = Flags.fromSettings({ ENABLE_PRICE_BOOKS: true, ENABLE_PRICE_RESOLUTION: true });
  const metrics = new Metrics({ defaultMetrics: false });
  const deps = { db, flags, metrics, logger };
  const pricing = SUBGRAPHS.find((s) => s.name === 'pricing')!;
  const server = await startSubgraph(pricing.create(deps), deps, {
    port: 0,
    host: '127.0.0.1',
    signingSecret: SECRET,
    development: false,
  });

  /** dealers whose own channel is channel 0 (EUR): 0, 20, 40, … */
  const dealer = (i: number) => (i * CHANNELS) % DEALERS;
  const channel0 = uuid('channel', 0);
  const post = async (caller: Caller, query: string, variables: Record<string, unknown>) => {
    const rid = randomUUID();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLER_HEADER]: await signCaller(caller, SECRET, rid),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data as any;
  };
  const callerOf = (org: string): Caller => ({ subject: 'bench', orgId: org, scopes: new Set() });

  // 1. the flagship's pricing fetch: 100 catalog entries of channel 0 for one of its dealers
  const ENTITIES = `query ($r: [_Any!]!, $orgId: ID!, $at: DateTime) {
    _entities(representations: $r) {
      ... on CatalogEntry { price(orgId: $orgId, at: $at, quantity: 1) { reason price { amount currency } originalPrice { amount currency } scope rule { id } } }
    }
  }`;
  const page = (i: number) =>
    Array.from({ length: PAGE }, (_, k) => uuid('sku', ((i * PAGE) % 500) + k));
  const { workload: flagship, bound: flagshipSql } = await compare(
    async (i) => {
      const org = uuid('dealer', dealer(i));
      const data = await post(callerOf(org), ENTITIES, {
        orgId: org,
        at: AT,
        r: page(i).map((skuId, k) => ({
          __typename: 'CatalogEntry',
          id: `e-${k}`,
          channelId: channel0,
          skuId,
        })),
      });
      if (data._entities.length !== PAGE) throw new Error('short page');
    },
    async (i) => {
      const rows = await db.query(LOWER_BOUND_SQL, [
        page(i),
        uuid('dealer', dealer(i)),
        channel0,
        'EUR',
        AT,
        1,
      ]);
      if (rows.length === 0) throw new Error('no rows');
    },
    count,
  );

  // 2. resolvePrices with 1 000 inputs (channel 0's range and beyond)
  const RESOLVE_MANY = `query ($inputs: [ResolvePriceInput!]!) {
    resolvePrices(inputs: $inputs) { reason price { amount currency } scope rule { id } }
  }`;
  const batch = (i: number) =>
    Array.from({ length: BATCH }, (_, k) => uuid('sku', (i * 37 + k * 7) % SKUS));
  const batchIterations = Math.max(10, Math.round(ITERATIONS / 4));
  const { workload: many, bound: manySql } = await compare(
    async (i) => {
      const org = uuid('dealer', dealer(i));
      const data = await post(callerOf(org), RESOLVE_MANY, {
        inputs: batch(i).map((skuId) => ({ skuId, orgId: org, channelId: channel0, at: AT })),
      });
      if (data.resolvePrices.length !== BATCH) throw new Error('short batch');
    },
    async (i) => {
      await db.query(LOWER_BOUND_SQL, [
        batch(i),
        uuid('dealer', dealer(i)),
        channel0,
        'EUR',
        AT,
        1,
      ]);
    },
    count,
    batchIterations,
  );

  console.log(
    `\n${ITERATIONS} flagship pages / ${batchIterations} batches; throughput with ${CONCURRENCY} requests in flight; PGlite in process\n`,
  );
  console.log(
    `${'workload'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'SQL/r'.padStart(6)} ${'vs SQL'.padStart(8)}`,
  );
  console.log(row('flagship page: 100 entries priced', flagship, flagshipSql));
  console.log(row('  lower bound: one SQL query', flagshipSql));
  console.log(row('resolvePrices: 1000 inputs', many, manySql));
  console.log(row('  lower bound: one SQL query', manySql));
  await server.close();
  await db.close();
}

/** The flagship read in one SQL statement: the lower bound of OrgCatalogWithPrices. */
const FLAGSHIP_SQL = `
WITH ch AS (
  SELECT c.id, c.code, c.name, c.currency FROM org_graph.channel c
  WHERE c.owner_org_id = $1
     OR EXISTS (SELECT 1 FROM org_graph.channel_member m WHERE m.channel_id = c.id AND m.org_id = $1)
), v AS (
  SELECT DISTINCT ON (cv.channel_id) cv.id, cv.channel_id, cv.version, cv.published_at
  FROM catalog.catalog_version cv JOIN ch ON ch.id = cv.channel_id
  WHERE cv.effective_at <= $2
  ORDER BY cv.channel_id, cv.effective_at DESC, cv.version DESC
), e AS (
  SELECT e.*, row_number() OVER (PARTITION BY e.catalog_version_id ORDER BY e.id) AS n,
         count(*) OVER (PARTITION BY e.catalog_version_id) AS total
  FROM catalog.catalog_entry e JOIN v ON v.id = e.catalog_version_id
)
SELECT o.id, o.name, o.type, ch.id, ch.code, ch.name, ch.currency, v.version, v.published_at,
       e.total, e.id, e.offering_id, ov.version, ov.name, s.id, s.code, p.id, p.name, m.id, m.name,
       price.id AS rule_id, price.scope, price.kind, price.amount, price.percent
FROM org_graph.organization o
JOIN ch ON true
LEFT JOIN v ON v.channel_id = ch.id
LEFT JOIN e ON e.catalog_version_id = v.id AND e.n <= $3
LEFT JOIN catalog.offering_version ov ON ov.id = e.offering_version_id
LEFT JOIN catalog.sku s ON s.id = e.sku_id
LEFT JOIN catalog.product p ON p.id = s.product_id
LEFT JOIN org_graph.organization m ON m.id = p.manufacturer_id
LEFT JOIN LATERAL (
  SELECT r.id, b.scope, r.kind, r.amount, r.percent
  FROM pricing.price_rule r JOIN pricing.price_book b ON b.id = r.price_book_id
  WHERE r.sku_id = s.id AND b.status = 'ACTIVE' AND b.currency = ch.currency
    AND (b.scope = 'GLOBAL' OR (b.scope = 'ORG' AND b.org_id = $1) OR (b.scope = 'CHANNEL' AND b.channel_id = ch.id)
         OR (b.scope = 'ORG_CHANNEL' AND b.org_id = $1 AND b.channel_id = ch.id))
    AND b.valid_from <= $2 AND (b.valid_to IS NULL OR $2 < b.valid_to)
    AND (r.valid_from IS NULL OR r.valid_from <= $2) AND (r.valid_to IS NULL OR $2 < r.valid_to)
    AND r.min_quantity <= 1
  ORDER BY CASE b.scope WHEN 'ORG_CHANNEL' THEN 3 WHEN 'CHANNEL' THEN 2 WHEN 'ORG' THEN 1 ELSE 0 END DESC,
    r.min_quantity DESC, r.priority DESC, b.priority DESC,
    greatest(b.valid_from, coalesce(r.valid_from, b.valid_from)) DESC, r.created_at DESC, r.id
  LIMIT 1
) price ON true
WHERE o.id = $1
ORDER BY ch.id, e.id`;

const FLAGSHIP = `query OrgCatalogWithPrices($orgId: ID!, $at: DateTime, $first: Int = 50, $quantity: Int = 1) {
  organization(id: $orgId) {
    id name type
    channels {
      id code name currency
      catalog(at: $at) {
        version publishedAt
        entries(first: $first) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node {
            id offering { id } offeringVersion { version name }
            sku { id code product { id name manufacturer { id name } } }
            price(orgId: $orgId, at: $at, quantity: $quantity) {
              reason price { amount currency } originalPrice { amount currency } scope rule { id }
            }
          } }
        }
      }
    }
  }
}`;

/** What the flagship's server process tells the bench: where to send and what is listed. */
interface FlagshipReady {
  url: string;
  token: string;
  dealer: string;
  channelId: string;
  at: string;
}

/** Server CPU (ms, user + system) and statements sent so far by the flagship's subgraphs. */
interface ServerStats {
  cpuMs: number;
  query: number;
  control: number;
  perSubgraph: number[];
}

type ServerRequest =
  | { op: 'sql' }
  | { op: 'sqlThroughput'; iterations: number; clients: number }
  | { op: 'stats' }
  | { op: 'profile'; write?: string }
  | { op: 'close' };

const FLAGSHIP_SUBGRAPHS = ['org-graph', 'catalog', 'pricing'] as const;

/**
 * The flagship's server process (`BENCH_ROLE=flagship-server`): the database (PGlite in memory,
 * or the PostgreSQL database at BENCH_DATABASE_URL) with the demo seed, the generated rules and
 * a channel of 100 listings, the whole supergraph in this one process, and the lower bound's
 * SQL run here on request, so what this process spends is the server's cost alone.
 */
async function flagshipServer() {
  const url = process.env.BENCH_DATABASE_URL;
  const db = await openDatabase(url ? { kind: 'postgres', url, poolSize: 10 } : { kind: 'pglite' });
  // the lower bound with a pool of its own as large as the bench's client count (PostgreSQL)
  const sqlPool = url ? new pg.Pool({ connectionString: url, max: THROUGHPUT_CLIENTS }) : undefined;
  const lowerBound = async (params: unknown[]) =>
    sqlPool ? (await sqlPool.query(FLAGSHIP_SQL, params)).rows : db.query(FLAGSHIP_SQL, params);
  const t0 = performance.now();
  await migrateAll(db);
  await seedDemo(db);
  await generate(db);
  const metrics = new Metrics({ defaultMetrics: false });
  let running = await startBenchSupergraph(db, metrics, 0);
  const sign = (org: string | null, scope: string) =>
    new SignJWT({ ...(org ? { org } : {}), scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bench')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(JWT_SECRET));
  const admin = await sign(null, 'admin');
  const gql = (token: string, query: string, variables: Record<string, unknown>) =>
    graphqlPost(running.url, token, query, variables);
  // a channel page of 100: Acme opens a channel for the dealer and lists 100 new SKUs in
  // it, through the API (a channel of its own: the demo catalogs may hold scheduled versions)
  const acme = demoOrgId('acme');
  const dealer = demoOrgId('koeln-klima');
  const created = await gql(
    admin,
    'mutation ($i: CreateChannelInput!) { createChannel(input: $i) { id } }',
    { i: { ownerOrgId: acme, code: 'BENCH-EU', name: 'Bench Europe', currency: 'EUR' } },
  );
  const channelId: string = created.createChannel.id;
  await gql(
    admin,
    'mutation ($c: ID!, $o: ID!) { addChannelMember(channelId: $c, orgId: $o) { id } }',
    {
      c: channelId,
      o: dealer,
    },
  );
  const product = await gql(
    admin,
    'mutation ($i: CreateProductInput!) { createProduct(input: $i) { id } }',
    { i: { manufacturerId: acme, name: 'Bench line' } },
  );
  const offeringIds: string[] = [];
  const skuIds: string[] = [];
  for (let k = 0; k < PAGE; k++) {
    const sku = await gql(admin, 'mutation ($i: CreateSkuInput!) { createSku(input: $i) { id } }', {
      i: {
        productId: product.createProduct.id,
        code: `BENCH-${String(k).padStart(3, '0')}`,
        name: `Bench ${k}`,
      },
    });
    skuIds.push(sku.createSku.id);
    const offering = await gql(
      admin,
      'mutation ($i: CreateOfferingInput!) { createOffering(input: $i) { id } }',
      { i: { sellerOrgId: acme, skuId: sku.createSku.id, name: `Bench ${k}` } },
    );
    await gql(admin, 'mutation ($id: ID!) { publishOffering(id: $id) { version } }', {
      id: offering.createOffering.id,
    });
    offeringIds.push(offering.createOffering.id);
  }
  await gql(
    admin,
    'mutation ($c: ID!, $o: [ID!]!) { publishToChannel(channelId: $c, offeringIds: $o) { version } }',
    { c: channelId, o: offeringIds },
  );
  // their prices: list, channel discounts, the dealer's frame agreement and negotiated prices
  await db.query(
    `INSERT INTO pricing.price_book (id, name, currency, scope, org_id, channel_id, valid_from, updated_at) VALUES
       (md5('bench:list')::uuid, 'Bench list', 'EUR', 'GLOBAL', NULL, NULL, '2025-01-01', now()),
       (md5('bench:channel')::uuid, 'Bench channel', 'EUR', 'CHANNEL', NULL, $2, '2025-01-01', now()),
       (md5('bench:org')::uuid, 'Bench dealer', 'EUR', 'ORG', $1, NULL, '2025-01-01', now()),
       (md5('bench:org-channel')::uuid, 'Bench dealer in channel', 'EUR', 'ORG_CHANNEL', $1, $2, '2025-01-01', now())`,
    [dealer, channelId],
  );
  await db.query(
    `INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount, percent)
     SELECT md5('bench-rule:' || b || ':' || s.sku)::uuid, md5('bench:' || b)::uuid, s.sku::uuid, kind::pricing."PriceRuleKind", amount, percent
     FROM unnest($1::text[]) WITH ORDINALITY AS s(sku, k),
     LATERAL (VALUES ('list', 'FIXED', 100 + s.k + 0.99, NULL::numeric, true),
                     ('channel', 'PERCENT_OFF', NULL, 10, s.k % 3 = 0),
                     ('org', 'PERCENT_OFF', NULL, 8, s.k % 5 = 0),
                     ('org-channel', 'FIXED', 90 + s.k + 0.5, NULL, s.k % 7 = 0)) AS r(b, kind, amount, percent, wanted)
     WHERE wanted`,
    [skuIds],
  );
  // BENCH_WORKERS: the seeded database served by worker processes instead of this one's
  const workers = url && WORKERS > 1 ? await startBenchWorkers(url) : undefined;
  if (workers) {
    await running.close();
    running = { ...running, url: workers.url };
  }
  const ready: FlagshipReady = {
    url: running.url,
    token: await sign(dealer, ''),
    dealer,
    channelId,
    at: new Date().toISOString(),
  };
  console.log(
    `\nflagship end to end on ${db.kind}, Node ${process.version}: demo seed + a channel of 100 listings for koeln-klima (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const sql = async () => {
    const rows = await lowerBound([ready.dealer, ready.at, PAGE]);
    if (rows.length < PAGE) throw new Error('short page');
  };
  const profiler = new Session();
  process.on('message', async (m: ServerRequest & { id: number }) => {
    let result: unknown;
    if (m.op === 'sql') {
      const t = performance.now();
      await sql();
      result = performance.now() - t;
    } else if (m.op === 'sqlThroughput') {
      result = await throughputOf(sql, m.iterations, m.clients);
    } else if (m.op === 'profile') {
      // BENCH_PROFILE: the sequential phase's CPU profile, without the setup's
      if (!m.write) {
        await profiler.connect();
        if (process.env.BENCH_HEAP) {
          await profiler.post('HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: process.env.BENCH_HEAP !== 'promoted',
          });
        } else {
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
      } else {
        const { profile } = process.env.BENCH_HEAP
          ? await profiler.post('HeapProfiler.stopSampling')
          : await profiler.post('Profiler.stop');
        writeFileSync(m.write, JSON.stringify(profile));
        if (process.env.BENCH_SNAPSHOT) {
          await profiler.post('HeapProfiler.collectGarbage');
          const chunks: string[] = [];
          profiler.on('HeapProfiler.addHeapSnapshotChunk', (c) => chunks.push(c.params.chunk));
          await profiler.post('HeapProfiler.takeHeapSnapshot');
          writeFileSync(process.env.BENCH_SNAPSHOT, chunks.join(''));
        }
        profiler.disconnect();
      }
    } else if (m.op === 'stats' && workers) {
      result = await workers.stats();
    } else if (m.op === 'stats') {
      result = await serverStats(metrics);
    } else {
      await (workers ?? running).close();
      await sqlPool?.end();
      await db.close();
      process.send!({ id: m.id, result }, () => process.disconnect());
      return;
    }
    process.send!({ id: m.id, result });
  });
  process.send!(ready);
}

const JWT_SECRET = 'bench-auth-secret-0123456789abcdef0123456789ab';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

/** The whole supergraph in this process, as the flagship's server runs it. */
function startBenchSupergraph(db: Database, metrics: Metrics, port: number) {
  return startSupergraph({
    db,
    supergraphSdl: composeSupergraph(),
    flags: Object.fromEntries(FLAG_KEYS.map((k) => [k, true])),
    auth: { jwtSecret: JWT_SECRET, demoAdmin: false },
    signingSecret: SECRET,
    port,
    development: false,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    metrics,
    catalogSchedulerIntervalMs: 0,
    slaSchedulerIntervalMs: 0,
    webhookDispatcher: false,
    subgraphCalls: process.env.BENCH_SUBGRAPH_CALLS === 'http' ? 'http' : 'local',
  });
}

/** This process's CPU so far and the statements its flagship subgraphs sent. */
async function serverStats(metrics: Metrics): Promise<ServerStats> {
  const cpu = process.cpuUsage();
  const of = (kind: 'query' | 'control') =>
    Promise.all(FLAGSHIP_SUBGRAPHS.map((s) => metrics.statementCount(s, kind)));
  const [query, control] = await Promise.all([of('query'), of('control')]);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    query: sum(query),
    control: sum(control),
    perSubgraph: query,
  };
}

/**
 * BENCH_WORKERS worker processes (`BENCH_ROLE=flagship-worker`) serving the database at `url`
 * on one port, as WORKERS does: their stats summed, closed together.
 */
async function startBenchWorkers(url: string) {
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
  const workers = Array.from({ length: WORKERS }, () =>
    cluster.fork({ BENCH_ROLE: 'flagship-worker', BENCH_DATABASE_URL: url, BENCH_PORT: port }),
  );
  const ask = <R>(worker: (typeof workers)[number], op: string) =>
    new Promise<R>((resolve) => {
      worker.once('message', resolve);
      worker.send({ op });
    });
  const urls = await Promise.all(
    workers.map((w) => new Promise<string>((resolve) => w.once('message', resolve))),
  );
  return {
    url: urls[0]!,
    async stats(): Promise<ServerStats> {
      const all = await Promise.all(workers.map((w) => ask<ServerStats>(w, 'stats')));
      const add = (a: number[], b: number[]) => a.map((x, i) => x + b[i]!);
      return all.reduce((a, b) => ({
        cpuMs: a.cpuMs + b.cpuMs,
        query: a.query + b.query,
        control: a.control + b.control,
        perSubgraph: add(a.perSubgraph, b.perSubgraph),
      }));
    },
    async close() {
      await Promise.all(workers.map((w) => ask(w, 'close')));
    },
  };
}

/** A worker of `startBenchWorkers`: the supergraph on its database, stats and close on request. */
async function flagshipWorker() {
  const url = process.env.BENCH_DATABASE_URL!;
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
  const metrics = new Metrics({ defaultMetrics: false });
  const running = await startBenchSupergraph(db, metrics, Number(process.env.BENCH_PORT));
  process.on('message', async (m: { op: string }) => {
    if (m.op === 'stats') return process.send!(await serverStats(metrics));
    await running.close();
    await db.close();
    process.send!('closed', () => process.exit(0));
  });
  process.send!(running.url);
}

/** `f` run `iterations` times by `clients` concurrent loops: requests per second. */
async function throughputOf(f: (i: number) => Promise<void>, iterations: number, clients: number) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < iterations) await f(next++);
    }),
  );
  return iterations / ((performance.now() - t0) / 1000);
}

async function graphqlPost(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data;
}

const THROUGHPUT_CLIENTS = 16;

/**
 * The flagship end to end on `backend`, its server in a child process (`flagshipServer`) so
 * that its CPU is measured apart from this client's: latency at one client (the flagship and
 * its SQL lower bound alternating request by request), server CPU and statements per request
 * over sequential requests, then throughput at 16 clients of the flagship, the SQL lower bound
 * and `{ __typename }` (the gateway's floor).
 */
async function flagshipEndToEnd(backend: 'pglite' | 'postgres') {
  const scratch =
    backend === 'postgres' ? await scratchDatabase(process.env.TEST_DATABASE_URL!) : undefined;
  const profile = process.env.BENCH_PROFILE;
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: [
      ...process.execArgv,
      ...(process.env.BENCH_NODE_FLAGS?.split(' ') ?? []).filter(Boolean),
    ],
    env: {
      ...process.env,
      BENCH_ROLE: 'flagship-server',
      BENCH_DATABASE_URL: scratch?.url ?? '',
    },
  });
  const pending = new Map<number, (result: any) => void>();
  let nextId = 0;
  const ready = await new Promise<FlagshipReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the flagship server exited (${code})`)));
    child.on('message', (m: any) => {
      if ('url' in m) resolve(m);
      else pending.get(m.id)?.(m.result);
    });
  });
  const ask = <R>(request: ServerRequest): Promise<R> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, (result) => {
        pending.delete(id);
        resolve(result);
      });
      child.send({ ...request, id });
    });
  try {
    const flagship = async () => {
      const data = await graphqlPost(ready.url, ready.token, FLAGSHIP, {
        orgId: ready.dealer,
        first: PAGE,
        at: ready.at,
      });
      const direct = data.organization.channels.find((c: any) => c.id === ready.channelId);
      if (direct.catalog.entries.edges.length !== PAGE) throw new Error('short page');
    };
    const typename = async () => {
      await graphqlPost(ready.url, ready.token, '{ __typename }');
    };
    for (let i = 0; i < Math.min(20, ITERATIONS); i++) {
      await flagship(); // warm-up
      await ask({ op: 'sql' });
    }
    // 1. latency at one client, alternating
    const times: [number[], number[]] = [[], []];
    for (let i = 0; i < ITERATIONS; i++) {
      const t = performance.now();
      await flagship();
      times[0].push(performance.now() - t);
      times[1].push(await ask<number>({ op: 'sql' }));
    }
    // 2. server CPU and statements per request, flagship only
    // BENCH_PROFILE=<dir>: the server's CPU profile of this phase is written there
    if (profile) await ask({ op: 'profile' });
    const before = await ask<ServerStats>({ op: 'stats' });
    for (let i = 0; i < ITERATIONS; i++) await flagship();
    const after = await ask<ServerStats>({ op: 'stats' });
    if (profile) {
      const write = join(profile, `flagship-${backend}.cpuprofile`);
      await ask({ op: 'profile', write });
      console.log(`  CPU profile of the sequential phase: ${write}`);
    }
    // 3. throughput at 16 clients, with the server's CPU per request under that load
    const loadBefore = await ask<ServerStats>({ op: 'stats' });
    const flagshipRps = await throughputOf(flagship, ITERATIONS, THROUGHPUT_CLIENTS);
    const loadAfter = await ask<ServerStats>({ op: 'stats' });
    const sqlRps = await ask<number>({
      op: 'sqlThroughput',
      iterations: ITERATIONS,
      clients: THROUGHPUT_CLIENTS,
    });
    const typenameRps = await throughputOf(typename, ITERATIONS * 5, THROUGHPUT_CLIENTS);
    // the gateway's floor: server CPU of a request that calls no subgraph
    const floorBefore = await ask<ServerStats>({ op: 'stats' });
    for (let i = 0; i < ITERATIONS; i++) await typename();
    const floorAfter = await ask<ServerStats>({ op: 'stats' });

    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      );
    const per = (k: 'cpuMs' | 'query' | 'control', a: ServerStats, b: ServerStats) =>
      (b[k] - a[k]) / ITERATIONS;
    const [flagshipP50, sqlP50] = [median(times[0]), median(times[1])];
    console.log(
      `${ITERATIONS} requests per phase; throughput with ${THROUGHPUT_CLIENTS} clients; server in its own process\n`,
    );
    console.log(
      `${'workload'.padEnd(36)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s@16'.padStart(9)} ${'CPU ms/r'.padStart(9)} ${'@16'.padStart(6)} ${'ctl/r'.padStart(6)} ${'SQL/r'.padStart(6)}`,
    );
    console.log(
      `${'OrgCatalogWithPrices, 100 entries'.padEnd(36)} ${flagshipP50.toFixed(2).padStart(8)} ${p99(times[0]).toFixed(2).padStart(8)} ${flagshipRps.toFixed(0).padStart(9)} ${per('cpuMs', before, after).toFixed(2).padStart(9)} ${per('cpuMs', loadBefore, loadAfter).toFixed(2).padStart(6)} ${per('control', before, after).toFixed(1).padStart(6)} ${per('query', before, after).toFixed(1).padStart(6)}`,
    );
    console.log(
      `${'  lower bound: one SQL query'.padEnd(36)} ${sqlP50.toFixed(2).padStart(8)} ${p99(times[1]).toFixed(2).padStart(8)} ${sqlRps.toFixed(0).padStart(9)}`,
    );
    console.log(
      `${'  { __typename }'.padEnd(36)} ${''.padStart(8)} ${''.padStart(8)} ${typenameRps.toFixed(0).padStart(9)} ${per('cpuMs', floorBefore, floorAfter).toFixed(2).padStart(9)}`,
    );
    console.log(
      `  SQL statements per request: ${FLAGSHIP_SUBGRAPHS.map((s, i) => `${s} ${((after.perSubgraph[i]! - before.perSubgraph[i]!) / ITERATIONS).toFixed(1)}`).join(', ')}`,
    );
    console.log(
      `  ratios: p50 ${(flagshipP50 / sqlP50).toFixed(2)}× the SQL; req/s at ${THROUGHPUT_CLIENTS} clients ${(flagshipRps / sqlRps).toFixed(3)} of the SQL's`,
    );
    const exited = once(child, 'exit');
    await ask({ op: 'close' });
    await exited;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await scratch?.drop();
  }
}

// BENCH_ONLY=pricing or BENCH_ONLY=flagship runs one part (responsibility: test/bench/responsibility.bench.ts);
// the flagship runs on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set
// (BENCH_BACKEND=pglite|postgres: that one only)
const only = process.env.BENCH_ONLY;
const backends = (['pglite', 'postgres'] as const).filter(
  (b) =>
    (!process.env.BENCH_BACKEND || process.env.BENCH_BACKEND === b) &&
    (b === 'pglite' || process.env.TEST_DATABASE_URL),
);
if (process.env.BENCH_ROLE === 'flagship-server') await flagshipServer();
else if (process.env.BENCH_ROLE === 'flagship-worker') await flagshipWorker();
else {
  if (!only || only === 'pricing') await main();
  if (!only || only === 'flagship') for (const b of backends) await flagshipEndToEnd(b);
}
