// Responsibility benchmark (`pnpm bench`, or BENCH_ONLY=responsibility): numbers printed, not
// asserted.
//
// A generated network in an in-memory PGlite: 20 manufacturers with 5 SKUs each and 500 service
// policies (25 each: conditions by region and issue type, chains of two or three roles, some
// requiring a certification, some with a default organization), then distributors, dealers and
// service partners in ACTIVE relationships with territories, half of them certified. Each
// decision is what createTicket runs in its transaction (the SKU's manufacturer, then
// `decideInTransaction`: the matching policies with the network their chains reach, the pure
// engine) as a dealer's request would, through the slice's runtime role and row-level security.
// Measured at 200 and at 2 000 organizations: the SQL statements per decision must not change
// with the network. Most tickets match no policy (NO_POLICY); those that do walk a chain, and
// their p50 is printed apart.
//
// Options (environment): BENCH_ITERATIONS (default 500), BENCH_ONLY=responsibility.
import { performance } from 'node:perf_hooks';
import { Metrics, tenancyOf } from '@trellis/kit';
import { type Database, openDatabase, withTenancy } from '@trellis/prisma';
import { migrateAll } from '@trellis/runner';
import { createPrisma } from '../../subgraphs/service-policy/src/prisma.js';
import { decideInTransaction } from '../../subgraphs/service-policy/src/responsibility/decision.js';
import type { TicketFacts } from '../../subgraphs/service-policy/src/responsibility/rules.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
const MANUFACTURERS = 20;
const POLICIES_EACH = 25;
const SKUS_EACH = 5;
const COUNTRIES = [
  'DE',
  'AT',
  'CH',
  'FR',
  'IT',
  'ES',
  'NL',
  'BE',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'US',
];
const US_STATES = ['US-CA', 'US-NY', 'US-TX', 'US-WA', 'US-FL', 'US-IL'];
const ISSUES = ['NO_HEAT', 'LEAK', 'NO_COOLING', 'NOISE', 'ERROR_CODE'];
const id = (kind: string) => `md5('${kind}:' || i)::uuid`;

/** Manufacturers, their SKUs and 500 policies. */
async function generateCore(db: Database) {
  const countries = `ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(',')}]`;
  const issues = `ARRAY[${ISSUES.map((c) => `'${c}'`).join(',')}]`;
  await db.exec(`
    INSERT INTO org_graph.organization (id, name, type, updated_at)
      SELECT ${id('maker')}, 'Maker ' || i, 'MANUFACTURER', now() FROM generate_series(0, ${MANUFACTURERS - 1}) i;
    INSERT INTO catalog.product (id, manufacturer_id, name, updated_at)
      SELECT ${id('product')}, md5('maker:' || i)::uuid, 'Product ' || i, now() FROM generate_series(0, ${MANUFACTURERS - 1}) i;
    INSERT INTO catalog.sku (id, product_id, code, name, updated_at)
      SELECT ${id('sku')}, md5('product:' || (i / ${SKUS_EACH}))::uuid, 'SKU-' || i, 'SKU ' || i, now()
      FROM generate_series(0, ${MANUFACTURERS * SKUS_EACH - 1}) i;
    INSERT INTO service_policy.service_policy (id, manufacturer_id, name, priority, enabled, version, chain,
        conditions, required_certification, default_org_id, valid_from, valid_to, updated_at)
      SELECT ${id('policy')}, md5('maker:' || (i % ${MANUFACTURERS}))::uuid, 'Policy ' || i, i % 7, i % 11 <> 0, 1,
             (CASE i % 3 WHEN 0 THEN ARRAY['DISTRIBUTOR', 'DEALER']
                         WHEN 1 THEN ARRAY['MANUFACTURER', 'DISTRIBUTOR', 'DEALER']
                         ELSE ARRAY['DEALER', 'SERVICE_PARTNER'] END)::service_policy."OrgRole"[],
             jsonb_build_object('regions', CASE WHEN i % 4 = 0 THEN '[]'::jsonb
                                  ELSE jsonb_build_array((${countries})[1 + i % ${COUNTRIES.length}], (${countries})[1 + (i + 5) % ${COUNTRIES.length}]) END,
                                'issueTypes', CASE WHEN i % 5 = 0 THEN '[]'::jsonb
                                  ELSE jsonb_build_array((${issues})[1 + i % ${ISSUES.length}]) END),
             CASE WHEN i % 2 = 0 THEN 'F-GAS' END,
             CASE WHEN i % 3 = 2 THEN md5('partner:' || (i % ${MANUFACTURERS}))::uuid END,
             '2025-01-01', CASE WHEN i % 13 = 0 THEN '2025-06-01'::timestamptz END, now()
      FROM generate_series(0, ${MANUFACTURERS * POLICIES_EACH - 1}) i;
    -- the default organizations the policies name: a service partner of each manufacturer
    INSERT INTO org_graph.organization (id, name, type, updated_at)
      SELECT ${id('partner')}, 'Partner ' || i, 'SERVICE_PARTNER', now() FROM generate_series(0, ${MANUFACTURERS - 1}) i;
    INSERT INTO org_graph.org_relationship (id, from_org_id, to_org_id, type, territories, valid_from, status)
      SELECT md5('partner-rel:' || i)::uuid, md5('partner:' || i)::uuid, md5('maker:' || i)::uuid, 'SERVICE_PARTNER_OF', '{}', '2025-01-01', 'ACTIVE'
      FROM generate_series(0, ${MANUFACTURERS - 1}) i;
    INSERT INTO service_policy.service_policy_version (policy_id, version, name, priority, enabled, chain,
        conditions, required_certification, default_org_id, valid_from, valid_to)
      SELECT id, 1, name, priority, enabled, chain, conditions, required_certification, default_org_id, valid_from, valid_to
      FROM service_policy.service_policy;
  `);
}

/**
 * Organizations [from, to) of the network: one in ten a distributor (of two manufacturers, in
 * three countries), one in a hundred a service partner, the rest dealers (of two distributors,
 * in a country or a US state); every second one certified.
 */
async function generateNetwork(db: Database, from: number, to: number) {
  const countries = `ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(',')}]`;
  const states = `ARRAY[${US_STATES.map((c) => `'${c}'`).join(',')}]`;
  const distributors = (n: number) => Math.ceil(n / 10);
  await db.exec(`
    INSERT INTO org_graph.organization (id, name, type, status, updated_at)
      SELECT ${id('org')}, 'Org ' || i,
             (CASE WHEN i % 10 = 0 THEN 'DISTRIBUTOR' WHEN i % 100 = 1 THEN 'SERVICE_PARTNER' ELSE 'DEALER' END)::org_graph."OrgType",
             (CASE WHEN i % 37 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::org_graph."OrgStatus", now()
      FROM generate_series(${from}, ${to - 1}) i;
    INSERT INTO org_graph.org_relationship (id, from_org_id, to_org_id, type, territories, valid_from, status)
      SELECT md5('rel:' || i || ':' || k)::uuid, md5('org:' || i)::uuid, md5('maker:' || ((i / 10 + k * 7) % ${MANUFACTURERS}))::uuid,
             'DISTRIBUTOR_OF', ARRAY[(${countries})[1 + (i / 10 + k) % ${COUNTRIES.length}], (${countries})[1 + (i / 10 + k + 1) % ${COUNTRIES.length}], (${countries})[1 + (i / 10 + k + 2) % ${COUNTRIES.length}]],
             '2025-01-01'::timestamptz + (i || ' minutes')::interval, 'ACTIVE'
      FROM generate_series(${from}, ${to - 1}) i, generate_series(0, 1) k WHERE i % 10 = 0;
    INSERT INTO org_graph.org_relationship (id, from_org_id, to_org_id, type, territories, valid_from, status)
      SELECT md5('rel:' || i || ':' || k)::uuid, md5('org:' || i)::uuid,
             md5('org:' || (((i / 10 + k * 3) % ${distributors(to)}) * 10))::uuid, 'DEALER_OF',
             ARRAY[CASE WHEN i % 3 = 0 THEN (${states})[1 + i % ${US_STATES.length}] ELSE (${countries})[1 + i % ${COUNTRIES.length}] END],
             '2025-01-01'::timestamptz + (i || ' minutes')::interval, 'ACTIVE'
      FROM generate_series(${from}, ${to - 1}) i, generate_series(0, 1) k WHERE i % 10 <> 0 AND i % 100 <> 1;
    INSERT INTO org_graph.org_relationship (id, from_org_id, to_org_id, type, territories, valid_from, status)
      SELECT md5('rel:' || i)::uuid, md5('org:' || i)::uuid, md5('maker:' || (i / 100 % ${MANUFACTURERS}))::uuid,
             'SERVICE_PARTNER_OF', '{}', '2025-01-01', 'ACTIVE'
      FROM generate_series(${from}, ${to - 1}) i WHERE i % 100 = 1;
    INSERT INTO org_graph.org_certification (id, org_id, code, valid_until)
      SELECT md5('cert:' || i)::uuid, md5('org:' || i)::uuid, 'F-GAS', '2030-01-01'
      FROM generate_series(${from}, ${to - 1}) i WHERE i % 2 = 0;
  `);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(db: Database, label: string) {
  const prisma = createPrisma(db);
  const metrics = new Metrics({ defaultMetrics: false });
  const skus = await db.query<{ sku: string; product: string; maker: string }>(
    `SELECT s.id::text AS sku, p.id::text AS product, p.manufacturer_id::text AS maker
     FROM catalog.sku s JOIN catalog.product p ON p.id = s.product_id ORDER BY s.code`,
  );
  const reporter = (
    await db.query<{ id: string }>(
      `SELECT id::text FROM org_graph.organization WHERE type = 'DEALER' ORDER BY id LIMIT 1`,
    )
  )[0]!.id;
  const tenancy = tenancyOf(
    { subject: 'bench-dealer', orgId: reporter, scopes: new Set(['tickets:write']) },
    'bench',
  );
  let statements = 0;
  let counting = false;
  db.onStatement(
    (slice) => {
      if (counting && slice === 'service-policy') statements++;
    },
    ['query'],
  );
  const regions = [...COUNTRIES, ...US_STATES];
  const fallbacks = new Map<string, number>();
  const times: number[] = [];
  const walked: number[] = [];
  const perDecision = new Set<number>();
  for (let i = 0; i < ITERATIONS + 20; i++) {
    const s = skus[i % skus.length]!;
    const ticket: TicketFacts = {
      skuId: s.sku,
      productId: s.product,
      manufacturerId: s.maker,
      region: regions[(i * 7) % regions.length]!,
      issueType: ISSUES[i % ISSUES.length]!,
      at: new Date('2026-06-15T12:00:00Z'),
    };
    const before = statements;
    counting = true;
    const t0 = performance.now();
    const decision = await withTenancy(tenancy, () =>
      prisma.$transaction(async (tx) => {
        // the SKU's manufacturer, as createTicket reads it first
        await tx.$queryRawUnsafe(
          `SELECT p."manufacturer_id" FROM catalog.sku_v1 s JOIN catalog.product_v1 p ON p."id" = s."product_id" WHERE s."id" = $1::uuid`,
          s.sku,
        );
        return decideInTransaction(tx, ticket, metrics);
      }),
    );
    const ms = performance.now() - t0;
    counting = false;
    if (i < 20) continue; // warm-up
    times.push(ms);
    if (decision.fallback !== 'NO_POLICY') walked.push(ms);
    perDecision.add(statements - before);
    fallbacks.set(decision.fallback, (fallbacks.get(decision.fallback) ?? 0) + 1);
  }
  times.sort((a, b) => a - b);
  walked.sort((a, b) => a - b);
  const [orgs] = await db.query<{ n: number; r: number }>(
    `SELECT (SELECT count(*)::int FROM org_graph.organization) AS n, (SELECT count(*)::int FROM org_graph.org_relationship) AS r`,
  );
  console.log(
    `responsibility, ${label}: ${orgs!.n} organizations, ${orgs!.r} relationships, ${MANUFACTURERS * POLICIES_EACH} policies, ${ITERATIONS} decisions`,
  );
  console.log(
    `  per decision: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms; SQL statements (queries) per decision: ${[...perDecision].sort().join(', ')} (+ BEGIN, tenancy settings, COMMIT)`,
  );
  console.log(
    `  decisions under a policy (${walked.length}): p50 ${percentile(walked, 50).toFixed(2)} ms, p99 ${percentile(walked, 99).toFixed(2)} ms`,
  );
  console.log(`  fallbacks: ${[...fallbacks].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  await prisma.$disconnect();
}

async function main() {
  const db = await openDatabase({ kind: 'pglite' });
  try {
    await migrateAll(db);
    await generateCore(db);
    await generateNetwork(db, 0, 200 - MANUFACTURERS * 2);
    await measure(db, 'small network');
    await generateNetwork(db, 200 - MANUFACTURERS * 2, 2000 - MANUFACTURERS * 2);
    await db.exec('ANALYZE');
    await measure(db, 'large network');
  } finally {
    await db.close();
  }
}

// BENCH_ONLY=responsibility runs this part alone (pricing, flagship: the others)
const only = process.env.BENCH_ONLY;
if (!only || only === 'responsibility') await main();
