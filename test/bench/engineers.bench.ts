// Engineers benchmark (`pnpm bench`, part `engineers`): numbers printed, not asserted.
//
// A generated workforce in an in-memory PGlite — 20 000 engineers in 10 organizations, 200 000
// skill rows (10 per engineer of 20 skill codes, levels 1-5, one certification in seven
// expired), a coverage row each (one of 20 regions, a radius for every third) and a membership
// each — the workforce subgraph served over HTTP as the gateway calls it (signed caller), and
// `eligibleEngineers` for an organization's dispatcher: two required skills and a region, half
// of the requests with a location (radius coverage through the bounding box). Printed: p50 and
// p99 latency, and SQL statements per request (query statements; the tenancy's BEGIN/SET/COMMIT
// are counted apart), which must not grow with the number of engineers.
//
// Options (environment): BENCH_ITERATIONS (default 200).
import { performance } from 'node:perf_hooks';
import { migrateSlice, openDatabase } from '@trellis/prisma';
import { benchSubgraph, measureRequests, type RequestMeasure } from './measure.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ENGINEERS = 20_000;
const ORGS = 10;
const CODES = 20;
const REGIONS = 20;
const TICKETS = 100;

const orgId = (k: number) => `0199b000-0000-7000-8000-${String(k).padStart(12, '0')}`;

async function main() {
  const db = await openDatabase({ kind: 'pglite' });
  // the candidates' workload reads service-policy's published ticket view
  await migrateSlice(db, 'service-policy');
  await migrateSlice(db, 'workforce');
  const t0 = performance.now();
  // engineer i: organization i % 10, region R(i % 20), home on a grid around 50°N 7°E
  await db.exec(`
    INSERT INTO workforce.engineer (id, display_name, status, home_lat, home_lng, created_at, updated_at)
      SELECT md5('engineer:' || i)::uuid, 'Engineer ' || i,
             (CASE WHEN i % 97 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::workforce."EngineerStatus",
             50 + (i % 200) * 0.01, 7 + (i / 200) * 0.01, '2025-01-01', '2025-01-01'
      FROM generate_series(0, ${ENGINEERS - 1}) i;
    INSERT INTO workforce.engineer_membership (id, engineer_id, org_id, role, valid_from, valid_to)
      SELECT md5('membership:' || i)::uuid, md5('engineer:' || i)::uuid,
             ('0199b000-0000-7000-8000-' || lpad((i % ${ORGS})::text, 12, '0'))::uuid, 'TECHNICIAN',
             '2025-01-01', CASE WHEN i % 41 = 0 THEN '2026-01-01'::timestamptz END
      FROM generate_series(0, ${ENGINEERS - 1}) i;
    INSERT INTO workforce.engineer_coverage (id, engineer_id, regions, radius_km, valid_from)
      SELECT md5('coverage:' || i)::uuid, md5('engineer:' || i)::uuid,
             ARRAY['DE-R' || lpad((i % ${REGIONS})::text, 2, '0')],
             CASE WHEN i % 3 = 0 THEN 25 END, '2025-01-01'
      FROM generate_series(0, ${ENGINEERS - 1}) i;
    INSERT INTO workforce.engineer_skill (id, engineer_id, code, level, certified_until, valid_from)
      SELECT md5('skill:' || i || ':' || j)::uuid, md5('engineer:' || i)::uuid,
             'S' || lpad(((i + 7 * j) % ${CODES})::text, 2, '0'), 1 + (i * 7 + j * 3) % 5,
             CASE WHEN (i + j) % 7 = 3 THEN '2026-01-01'::timestamptz ELSE '2030-01-01'::timestamptz END,
             '2025-01-01'
      FROM generate_series(0, ${ENGINEERS - 1}) i, generate_series(0, 9) j;
    -- tickets for Ticket.eligibleEngineers: ticket k is organization k % 10's, two skills, a region, ½ a location
    INSERT INTO service_policy.ticket (id, sku_id, region, issue_type, priority, reported_by_org_id,
        responsible_org_id, required_skills, lat, lng, updated_at)
      SELECT md5('ticket:' || k)::uuid, md5('sku')::uuid, 'DE-R' || lpad(((k * 3) % ${REGIONS})::text, 2, '0'),
             'LEAK', 'P2', ('0199b000-0000-7000-8000-' || lpad((k % ${ORGS})::text, 12, '0'))::uuid,
             ('0199b000-0000-7000-8000-' || lpad((k % ${ORGS})::text, 12, '0'))::uuid,
             jsonb_build_array(jsonb_build_object('code', 'S' || lpad((k % ${CODES})::text, 2, '0'), 'level', 3),
                               jsonb_build_object('code', 'S' || lpad(((k + 7) % ${CODES})::text, 2, '0'), 'level', 2)),
             CASE WHEN k % 2 = 1 THEN 50 + (k % 200) * 0.01 END, CASE WHEN k % 2 = 1 THEN 7 + (k % 100) * 0.01 END, now()
      FROM generate_series(0, ${TICKETS - 1}) k;
    ANALYZE workforce.engineer; ANALYZE workforce.engineer_membership;
    ANALYZE workforce.engineer_coverage; ANALYZE workforce.engineer_skill;
  `);
  const [counts] = await db.query<{ engineers: number; skills: number }>(
    `SELECT (SELECT count(*)::int FROM workforce.engineer) AS engineers,
            (SELECT count(*)::int FROM workforce.engineer_skill) AS skills`,
  );
  console.log(
    `generated ${counts?.engineers} engineers, ${counts?.skills} skill rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const ticketIds = await Promise.all(
    Array.from({ length: TICKETS }, (_, k) =>
      db.query<{ id: string }>(`SELECT md5('ticket:' || $1::int)::uuid::text AS id`, [k]),
    ),
  );
  const subgraph = await benchSubgraph(db, 'workforce', { ENABLE_ENGINEERS: true });
  const QUERY = `query ($skills: [SkillRequirementInput!], $region: String, $location: EngineerLocationInput) {
    eligibleEngineers(skills: $skills, region: $region, location: $location, first: 10) {
      totalCount edges { node { engineer { id displayName } score scoreParts { skill distanceKm workload } } }
    }
  }`;
  const request = async (i: number) => {
    const data = await subgraph.ask(orgId(i % ORGS), QUERY, {
      skills: [
        { code: `S${String(i % CODES).padStart(2, '0')}`, level: 3 },
        { code: `S${String((i + 7) % CODES).padStart(2, '0')}`, level: 2 },
      ],
      region: `DE-R${String((i * 3) % REGIONS).padStart(2, '0')}`,
      location: i % 2 ? { lat: 50 + (i % 200) * 0.01, lng: 7 + (i % 100) * 0.01 } : null,
    });
    return data.eligibleEngineers.totalCount as number;
  };
  // the same rules from a ticket's facts (service_policy.ticket_v1), as the gateway asks workforce
  const TICKET_QUERY = `query ($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Ticket {
      eligibleEngineers(first: 10) {
        totalCount edges { node { engineer { id displayName } score scoreParts { skill distanceKm workload } } }
      }
    } }
  }`;
  const ticketRequest = async (i: number) => {
    const k = i % TICKETS;
    const data = await subgraph.ask(orgId(k % ORGS), TICKET_QUERY, {
      representations: [{ __typename: 'Ticket', id: ticketIds[k]?.[0]?.id }],
    });
    return data._entities[0].eligibleEngineers.totalCount as number;
  };
  // the same HTTP path with a trivial read: what the machine costs per request, for scale
  const baseline = async () => {
    await subgraph.ask(orgId(0), '{ engineers(first: 1) { edges { node { id } } } }');
    return 0;
  };
  const measure = (run: (i: number) => Promise<number>) =>
    measureRequests(run, { iterations: ITERATIONS, warmUp: 20, statements: subgraph.statements });
  const line = (name: string, m: RequestMeasure, found = true) =>
    `${name.padEnd(48)} ${m.p50.toFixed(2).padStart(8)} ${m.p99.toFixed(2).padStart(8)} ${m.perRequest.toFixed(1).padStart(6)} ${(found ? m.found.toFixed(1) : '—').padStart(9)}`;
  try {
    const eligible = await measure(request);
    const forTicket = await measure(ticketRequest);
    const trivial = await measure(baseline);
    console.log(
      `\neligibleEngineers among ${ENGINEERS} engineers / ${counts?.skills} skill rows, ${ITERATIONS} requests one at a time, PGlite in process`,
    );
    console.log(
      `${'workload'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'SQL/r'.padStart(6)} ${'eligible'.padStart(9)}`,
    );
    console.log(line('eligibleEngineers (2 skills, region, ½ location)', eligible));
    console.log(line('Ticket.eligibleEngineers (the ticket’s facts)', forTicket));
    console.log(line('baseline: engineers(first: 1) (same path)', trivial, false));
  } finally {
    await subgraph.close();
    await db.close();
  }
}

await main();
