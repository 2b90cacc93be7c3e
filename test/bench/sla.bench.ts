// SLA benchmark (`pnpm bench`, part `sla`): numbers printed, not asserted.
//
// In an in-memory PGlite: one service agreement between a manufacturer and its service partner,
// applying a German business-hours policy (Europe/Berlin, two intervals a day, DE holidays)
// whose RESOLUTION target is 2 000 business hours (a year of working days) and a 24/7 P1 policy;
// 1 000 tickets opened across the last year, each with 4-6 status changes (pauses included).
// The agreements subgraph over HTTP as the gateway calls it: `Ticket.sla` for a page of tickets
// (`_entities`, as the gateway resolves a ticket list), pages of 10 and 100. Printed: p50/p99
// latency and SQL statements per request, which must not grow with the page size.
//
// Options (environment): BENCH_ITERATIONS (default 50).
import { performance } from 'node:perf_hooks';
import { migrateSlice, openDatabase } from '@trellis/prisma';
import { benchSubgraph, measureRequests, type RequestMeasure } from './measure.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const TICKETS = 1_000;
const PARTNER = '0199c000-0000-7000-8000-000000000001';
const MAKER = '0199c000-0000-7000-8000-000000000002';
const hours = [
  { from: '08:00', to: '12:00' },
  { from: '13:00', to: '18:00' },
];
const BUSINESS = {
  targets: [
    { metric: 'FIRST_RESPONSE', duration: 'PT8H' },
    { metric: 'RESOLUTION', duration: 'PT2000H' },
  ],
  calendar: {
    timeZone: 'Europe/Berlin',
    weeklyHours: { MON: hours, TUE: hours, WED: hours, THU: hours, FRI: hours },
    holidayList: 'DE',
  },
  pauseOn: ['AWAITING_CUSTOMER'],
};
const P1 = {
  conditions: { priorities: ['P1'] },
  targets: [
    { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
    { metric: 'RESOLUTION', duration: 'PT8H' },
  ],
};

async function main() {
  const db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'service-policy');
  await migrateSlice(db, 'agreements');
  const t0 = performance.now();
  // ticket k: opened k·8.76 h before now (a year), P1 one in ten; status changes every few
  // hours after, one in three waiting for the customer for a day
  await db.exec(`
    INSERT INTO agreements.sla_policy (id, org_id, name, position, valid_from, definition, updated_at)
      VALUES (md5('business')::uuid, '${MAKER}', 'business', 2, '2020-01-01', '${JSON.stringify(BUSINESS)}', now()),
             (md5('p1')::uuid, '${MAKER}', 'p1', 1, '2020-01-01', '${JSON.stringify(P1)}', now());
    INSERT INTO agreements.agreement (id, type, status, valid_from, terms, created_by_org_id, updated_at)
      VALUES (md5('agreement')::uuid, 'SERVICE', 'ACTIVE', '2020-01-01', '{}', '${MAKER}', now());
    INSERT INTO agreements.agreement_party (agreement_id, org_id, accepted_at)
      VALUES (md5('agreement')::uuid, '${MAKER}', now()), (md5('agreement')::uuid, '${PARTNER}', now());
    INSERT INTO agreements.agreement_sla_policy (agreement_id, sla_policy_id)
      VALUES (md5('agreement')::uuid, md5('business')::uuid), (md5('agreement')::uuid, md5('p1')::uuid);
    INSERT INTO service_policy.ticket (id, sku_id, region, issue_type, priority, reported_by_org_id,
        responsible_org_id, manufacturer_id, created_at, updated_at)
      SELECT md5('ticket:' || k)::uuid, md5('sku')::uuid, 'DE-NW', 'LEAK',
             (CASE WHEN k % 10 = 0 THEN 'P1' ELSE 'P2' END)::service_policy."TicketPriority",
             '${PARTNER}', '${PARTNER}', '${MAKER}',
             now() - k * interval '8.76 hours', now() - k * interval '8.76 hours'
      FROM generate_series(0, ${TICKETS - 1}) k;
    UPDATE service_policy.ticket SET status = 'ASSIGNED', updated_at = created_at + interval '2 hours';
    UPDATE service_policy.ticket SET status = 'IN_PROGRESS', updated_at = created_at + interval '5 hours';
    UPDATE service_policy.ticket SET status = 'AWAITING_CUSTOMER', updated_at = created_at + interval '9 hours'
      WHERE ('x' || substr(id::text, 1, 4))::bit(16)::int % 3 = 0;
    UPDATE service_policy.ticket SET status = 'IN_PROGRESS', updated_at = created_at + interval '33 hours'
      WHERE status = 'AWAITING_CUSTOMER' AND created_at < now() - interval '33 hours';
  `);
  console.log(`generated ${TICKETS} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const ids = (
    await db.query<{ id: string }>(
      'SELECT id::text AS id FROM service_policy.ticket ORDER BY created_at DESC',
    )
  ).map((r) => r.id);

  const subgraph = await benchSubgraph(db, 'agreements');
  const QUERY = `query ($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Ticket {
      sla { policy { id } targets { metric dueAt breached pausedMs state } }
    } }
  }`;
  const page = (size: number) => async (i: number) => {
    const start = (i * size) % (TICKETS - size);
    const data = await subgraph.ask(PARTNER, QUERY, {
      representations: ids.slice(start, start + size).map((id) => ({ __typename: 'Ticket', id })),
    });
    return (data._entities as { sla: { targets: { breached: boolean }[] } | null }[]).filter((t) =>
      t.sla?.targets.some((c) => c.breached),
    ).length;
  };
  const measure = (run: (i: number) => Promise<number>) =>
    measureRequests(run, { iterations: ITERATIONS, warmUp: 5, statements: subgraph.statements });
  const line = (name: string, m: RequestMeasure) =>
    `${name.padEnd(40)} ${m.p50.toFixed(2).padStart(8)} ${m.p99.toFixed(2).padStart(8)} ${m.perRequest.toFixed(1).padStart(6)} ${m.found.toFixed(1).padStart(9)}`;
  try {
    const ten = await measure(page(10));
    const hundred = await measure(page(100));
    console.log(
      `\nTicket.sla over a year of calendar (${TICKETS} tickets, 2 000 business-hour target), ${ITERATIONS} requests one at a time, PGlite in process`,
    );
    console.log(
      `${'workload'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'SQL/r'.padStart(6)} ${'breached'.padStart(9)}`,
    );
    console.log(line('Ticket.sla, page of 10', ten));
    console.log(line('Ticket.sla, page of 100', hundred));
  } finally {
    await subgraph.close();
    await db.close();
  }
}

await main();
