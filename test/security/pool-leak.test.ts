// A pooled connection that served one tenant a moment ago must not serve its rows to the next:
// 1 000 requests alternating two organizations, 10 at a time, on pools of 2 connections per
// slice (PostgreSQL; PGlite is one connection shared by everything, the harder case for
// session state). Every row answered must be the caller's own.
import { tenancyOf } from '@trellis/kit';
import { withTenancy } from '@trellis/prisma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolLeakRowsQuery } from '../__generated__/local/graphql.js';
import { graphql } from '../support/documents.js';
import { BACKEND, startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';
import { A, B, callerOf, type RawClient, ROWS, runtimeClients, seedTenants } from './fixtures.js';

let sg: TestSupergraph;
let clients: ReturnType<typeof runtimeClients>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  sg = await startTestSupergraph({ poolSize: 2 });
  await seedTenants(sg.db);
  clients = runtimeClients(sg.db);
  for (const org of [A, B]) tokens[org] = await token({ sub: `user-of-${org}`, org });
});
afterAll(async () => {
  await Promise.all(Object.values(clients ?? {}).map((c: RawClient) => c.$disconnect()));
  await sg?.close();
});

const QUERY = graphql(`query PoolLeakRows {
  tickets(first: 100) { edges { node { id reportedBy { id } } } }
  webhookSubscriptions(first: 100) { edges { node { id org { id } } } }
  events(first: 100) { edges { node { id org { id } } } }
  agreements(first: 100) { edges { node { id parties { id } } } }
}`);

/** The organizations the answer's rows belong to, other than `org`. */
function foreignRows(data: PoolLeakRowsQuery, org: string): string[] {
  const foreign: string[] = [];
  for (const e of data.tickets.edges)
    if (e.node.reportedBy.id !== org) foreign.push(`ticket ${e.node.id}`);
  for (const e of data.webhookSubscriptions.edges)
    if (e.node.org.id !== org) foreign.push(`webhook ${e.node.id}`);
  for (const e of data.events.edges) if (e.node.org?.id !== org) foreign.push(`event ${e.node.id}`);
  for (const e of data.agreements.edges)
    if (!e.node.parties.some((p) => p.id === org)) foreign.push(`agreement ${e.node.id}`);
  return foreign;
}

async function interleaved<T>(
  total: number,
  concurrency: number,
  run: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) results[i] = await run(i);
    }),
  );
  return results;
}

describe(`pool leak (${BACKEND})`, () => {
  // a correctness check, not a timed one: 1 000 requests may take minutes on a loaded machine
  it(
    '1 000 requests alternating two organizations at concurrency 10 on pools of 2: 0 foreign rows',
    { timeout: 300_000 },
    async () => {
      const started = performance.now();
      const results = await interleaved(1000, 10, async (i) => {
        const org = i % 2 === 0 ? A : B;
        const res = await sg.gql(QUERY, undefined, { token: tokens[org] });
        expect(res.errors).toBeUndefined();
        const own = ROWS.ticket[org === A ? 'A' : 'B'];
        return {
          org,
          rows: res.data.tickets.edges.filter((e) => e.node.id === own).length,
          foreign: foreignRows(res.data, org),
        };
      });
      const ms = performance.now() - started;
      console.log(`pool leak (${BACKEND}): 1000 requests in ${Math.round(ms)} ms`);
      expect(results.flatMap((r) => r.foreign)).toEqual([]);
      // every answer had the caller's own fixture ticket (the demo seed's tickets may show too):
      // the check is not vacuous
      expect(results.every((r) => r.rows === 1)).toBe(true);
    },
  );

  it('the same below the resolvers: 2 000 interleaved runtime statements, 0 foreign rows', async () => {
    const results = await interleaved(2000, 10, async (i) => {
      const org = i % 2 === 0 ? A : B;
      const rows = await withTenancy(tenancyOf(callerOf(org), `leak-${i}`), () =>
        clients.agreements.$queryRawUnsafe<{ org_id: string }[]>(
          'SELECT org_id::text FROM agreements.webhook_subscription',
        ),
      );
      return { org, orgs: rows.map((r) => r.org_id) };
    });
    expect(results.filter((r) => r.orgs.length !== 1 || r.orgs[0] !== r.org)).toEqual([]);
  });
});
