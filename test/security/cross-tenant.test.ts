// Tenant A attacks tenant B through every path a request can take: root fields, nested fields,
// `_entities` at the subgraph port (signed as the gateway would for A), and the database below
// the resolvers. Every tenant-owned entity adds one case to CASES.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { tenancyOf } from '@trellis/kit';
import { type SliceName, withTenancy } from '@trellis/prisma';
import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvePriceInput } from '../__generated__/contract.js';
import { op } from '../support/contract.js';
import { graphql } from '../support/documents.js';
import { codes, startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';
import {
  A,
  B,
  callerOf,
  postSubgraph,
  type RawClient,
  ROWS,
  runtimeClients,
  seedTenants,
} from './fixtures.js';
import { isPending } from './tables.js';

let sg: TestSupergraph;
let clients: Record<SliceName, RawClient>;
let asA: string;
const SCOPES =
  'org:write catalog:write pricing:write tickets:write agreements:write webhooks:manage pii:read';

beforeAll(async () => {
  sg = await startTestSupergraph({ canaries: true });
  await seedTenants(sg.db);
  clients = runtimeClients(sg.db);
  asA = await token({ sub: 'user-of-A', org: A, scope: SCOPES });
});
afterAll(async () => {
  await Promise.all(Object.values(clients ?? {}).map((c) => c.$disconnect()));
  await sg?.close();
});

type Tenant = 'A' | 'B';
type Variables = Record<string, unknown>;

/** A request of a case, its document's types checked where the case is written. */
interface Read<Out> {
  query: string;
  vars: (id: string) => Variables;
  /** from the answer's data (as A): the row (`one`) or the ids (`list`) */
  pick: (data: unknown) => Out;
}

/** A document, its variables for a row id, and what of its answer counts. */
const read = <R, V extends Variables, Out>(
  query: DocumentTypeDecoration<R, V>,
  vars: (id: string) => NoInfer<V>,
  pick: (data: R) => Out,
): Read<Out> =>
  // the case table holds reads of many documents: each is typed here, then only run
  ({ query: String(query), vars, pick: pick as (data: unknown) => Out });

interface Case {
  name: string;
  rows: Record<Tenant, string>;
  /** a root field answering one object by id: null (or refused) for B's */
  one?: Read<unknown>;
  /** a list as A: the ids it answers */
  list?: Read<string[]>;
  /** the entity as the gateway resolves it: `_entities` on the owning subgraph */
  entities?: { subgraph: SliceName; typename: string };
  /** the table below: A's tenancy reads none of B's rows there */
  table: { slice: SliceName; schema: string; name: string; key: string };
}

const ids = (connection: { edges: { node: { id: string } }[] }) =>
  connection.edges.map((e) => e.node.id);
const byId = (id: string) => ({ id });
const first100 = () => ({ first: 100 });

const CASES: Case[] = [
  {
    name: 'ticket',
    rows: ROWS.ticket,
    one: read(
      graphql(`
        query CrossTenantTicket($id: ID!) { ticket(id: $id) { id region reportedBy { id } } }
      `),
      byId,
      (d) => d.ticket,
    ),
    list: read(op('Tickets'), first100, (d) => ids(d.tickets)),
    entities: { subgraph: 'service-policy', typename: 'Ticket' },
    table: { slice: 'service-policy', schema: 'service_policy', name: 'ticket', key: 'id' },
  },
  {
    name: 'agreement',
    rows: ROWS.agreement,
    one: read(
      graphql(`
        query CrossTenantAgreement($id: ID!) { agreement(id: $id) { id terms parties { id } } }
      `),
      byId,
      (d) => d.agreement,
    ),
    list: read(op('Agreements'), first100, (d) => ids(d.agreements)),
    entities: { subgraph: 'agreements', typename: 'Agreement' },
    table: { slice: 'agreements', schema: 'agreements', name: 'agreement', key: 'id' },
  },
  {
    name: 'agreement party (nested: the other tenant’s agreements by party)',
    rows: ROWS.agreement,
    list: read(
      graphql(`
        query CrossTenantAgreementsOf($orgId: ID) {
          agreements(orgId: $orgId, first: 100) { edges { node { id parties { id } } } }
        }
      `),
      () => ({ orgId: B }),
      (d) => ids(d.agreements),
    ),
    table: {
      slice: 'agreements',
      schema: 'agreements',
      name: 'agreement_party',
      key: 'agreement_id',
    },
  },
  {
    name: 'agreement version',
    rows: ROWS.agreement,
    table: {
      slice: 'agreements',
      schema: 'agreements',
      name: 'agreement_version',
      key: 'agreement_id',
    },
  },
  {
    name: 'SLA policy',
    rows: ROWS.slaPolicy,
    one: read(
      graphql(`query CrossTenantSlaPolicy($id: ID!) { slaPolicy(id: $id) { id definition } }`),
      byId,
      (d) => d.slaPolicy,
    ),
    list: read(
      graphql(`query CrossTenantSlaPolicies { slaPolicies(first: 100) { edges { node { id } } } }`),
      () => ({}),
      (d) => ids(d.slaPolicies),
    ),
    entities: { subgraph: 'agreements', typename: 'SlaPolicy' },
    table: { slice: 'agreements', schema: 'agreements', name: 'sla_policy', key: 'id' },
  },
  {
    name: 'agreement’s SLA policies (nested)',
    rows: ROWS.agreement,
    table: {
      slice: 'agreements',
      schema: 'agreements',
      name: 'agreement_sla_policy',
      key: 'agreement_id',
    },
  },
  {
    name: 'webhook subscription',
    rows: ROWS.webhookSubscription,
    one: read(
      graphql(`
        query CrossTenantWebhookSubscription($id: ID!) { webhookSubscription(id: $id) { id url } }
      `),
      byId,
      (d) => d.webhookSubscription,
    ),
    list: read(
      graphql(`
        query CrossTenantWebhookSubscriptions {
          webhookSubscriptions(first: 100) { edges { node { id url } } }
        }
      `),
      () => ({}),
      (d) => ids(d.webhookSubscriptions),
    ),
    entities: { subgraph: 'agreements', typename: 'WebhookSubscription' },
    table: { slice: 'agreements', schema: 'agreements', name: 'webhook_subscription', key: 'id' },
  },
  {
    name: 'webhook delivery',
    rows: ROWS.webhookDelivery,
    // by the subscription it belongs to: B's answers NOT_FOUND, exactly like a missing one
    one: read(
      op('WebhookDeliveries'),
      (id) => ({
        subscriptionId:
          id === ROWS.webhookDelivery.A ? ROWS.webhookSubscription.A : ROWS.webhookSubscription.B,
      }),
      (d) => (d.webhookDeliveries.edges.length ? d.webhookDeliveries : null),
    ),
    table: { slice: 'agreements', schema: 'agreements', name: 'webhook_delivery', key: 'id' },
  },
  {
    name: 'event',
    rows: ROWS.event,
    list: read(op('Events'), first100, (d) => ids(d.events)),
    table: { slice: 'agreements', schema: 'agreements', name: 'outbox_event', key: 'id' },
  },
  {
    name: 'price book (negotiated prices)',
    rows: ROWS.priceBook,
    one: read(
      graphql(`
        query CrossTenantPriceBook($id: ID!) {
          priceBook(id: $id) { id name rules { edges { node { amount } } } }
        }
      `),
      byId,
      (d) => d.priceBook,
    ),
    list: read(op('PriceBooks'), first100, (d) => ids(d.priceBooks)),
    entities: { subgraph: 'pricing', typename: 'PriceBook' },
    table: { slice: 'pricing', schema: 'pricing', name: 'price_book', key: 'id' },
  },
  {
    name: 'price rule',
    rows: ROWS.priceRule,
    entities: { subgraph: 'pricing', typename: 'PriceRule' },
    table: { slice: 'pricing', schema: 'pricing', name: 'price_rule', key: 'id' },
  },
  {
    name: 'offering draft (never published)',
    rows: ROWS.offeringDraft,
    one: read(
      graphql(`query CrossTenantOffering($id: ID!) { offering(id: $id) { id draft { name } } }`),
      byId,
      (d) => d.offering,
    ),
    list: read(op('Offerings'), first100, (d) => ids(d.offerings)),
    entities: { subgraph: 'catalog', typename: 'Offering' },
    table: { slice: 'catalog', schema: 'catalog', name: 'offering', key: 'id' },
  },
  {
    name: 'engineer',
    rows: ROWS.engineer,
    one: read(
      graphql(`query CrossTenantEngineer($id: ID!) { engineer(id: $id) { id displayName } }`),
      byId,
      (d) => d.engineer,
    ),
    list: read(op('Engineers'), first100, (d) => ids(d.engineers)),
    entities: { subgraph: 'workforce', typename: 'Engineer' },
    table: { slice: 'workforce', schema: 'workforce', name: 'engineer', key: 'id' },
  },
  {
    name: 'engineer membership',
    rows: ROWS.engineerMembership,
    table: { slice: 'workforce', schema: 'workforce', name: 'engineer_membership', key: 'id' },
  },
  {
    name: 'engineer skill',
    rows: ROWS.engineerSkill,
    table: { slice: 'workforce', schema: 'workforce', name: 'engineer_skill', key: 'id' },
  },
  {
    name: 'engineer assignment',
    rows: ROWS.assignment,
    // through its ticket: B's ticket is null to A, its assignments with it
    one: read(
      graphql(`
        query CrossTenantTicketAssignments($id: ID!) {
          ticket(id: $id) { id assignments { override assignedAt } }
        }
      `),
      (id) => ({ id: id === ROWS.assignment.A ? ROWS.ticket.A : ROWS.ticket.B }),
      (d) => (d.ticket?.assignments.length ? d.ticket : null),
    ),
    table: { slice: 'workforce', schema: 'workforce', name: 'engineer_assignment', key: 'id' },
  },
  {
    name: 'idempotency record',
    rows: { A, B },
    table: { slice: 'org-graph', schema: 'org_graph', name: 'idempotency_record', key: 'org_id' },
  },
  {
    name: 'audit row',
    rows: { A, B },
    table: { slice: 'agreements', schema: 'agreements', name: 'audit_log', key: 'org_id::text' },
  },
];

describe('tenant A cannot read tenant B', () => {
  const withOne = CASES.filter((c) => c.one);
  it.each(withOne)('$name: by id through a root field, B’s answers nothing', async (c) => {
    const mine = await sg.gql(c.one!.query, c.one!.vars(c.rows.A), { token: asA });
    expect(mine.errors, 'A reads its own').toBeUndefined();
    expect(c.one!.pick(mine.data)).not.toBeNull();
    const theirs = await sg.gql(c.one!.query, c.one!.vars(c.rows.B), { token: asA });
    // a refused non-null root field leaves no data at all
    expect((theirs.data && c.one!.pick(theirs.data)) ?? null).toBeNull();
    for (const code of codes(theirs)) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code);
    expect(JSON.stringify(theirs)).not.toMatch(/of B|tenant-b|222\.22|whsec_tenantB/);
  });

  const withList = CASES.filter((c) => c.list);
  it.each(withList)('$name: in lists (and nested), only A’s rows', async (c) => {
    const vars = c.list!.vars(c.rows.A);
    const res = await sg.gql(c.list!.query, vars, { token: asA });
    expect(res.errors).toBeUndefined();
    const seen = c.list!.pick(res.data);
    expect(seen).not.toContain(c.rows.B);
    if (!vars.orgId) expect(seen).toContain(c.rows.A);
    expect(JSON.stringify(res.data)).not.toMatch(/of B|tenant-b|222\.22/);
  });

  const withEntity = CASES.filter((c) => c.entities);
  it.each(withEntity)('$name: `_entities` at the subgraph port answers null for B’s', async (c) => {
    const { typename, subgraph } = c.entities!;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`;
    const representations = [c.rows.A, c.rows.B].map((id) => ({ __typename: typename, id }));
    const res = await postSubgraph(
      sg.subgraphs[subgraph]!,
      query,
      callerOf(A, ...SCOPES.split(' ')),
      { r: representations },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data._entities).toEqual([{ id: c.rows.A }, null]);
  });

  it.each(CASES)('$name: the database shows A none of B’s rows', async (c) => {
    const { slice, schema, name, key } = c.table;
    if (isPending(schema, name)) return; // the resolvers above are the only guard until then
    const sql = `SELECT count(*)::int AS n FROM ${schema}.${name} WHERE ${key} = $1`;
    const count = (id: string) =>
      withTenancy(tenancyOf(callerOf(A), 'cross-tenant'), () =>
        clients[slice].$queryRawUnsafe<{ n: number }[]>(sql, id),
      );
    expect((await count(c.rows.A))[0]!.n).toBeGreaterThan(0);
    expect((await count(c.rows.B))[0]!.n).toBe(0);
  });

  const SKU = demoId('sku', 'BOR-01-28');
  const BOREALIS_EAST = demoId('channel', 'BOREALIS-EAST'); // owned by atlantic, B is a member
  const RESOLVE = graphql(`
    query CrossTenantResolvePrice($input: ResolvePriceInput!) {
      resolvePrice(input: $input) { reason scope price { amount currency } rule { id } }
    }
  `);

  it('negotiated price through the flagship `price` field: refused, and nothing of B’s leaks', async () => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: B, first: 100 },
      {
        token: asA,
      },
    );
    const entries =
      res.data.organization?.channels?.flatMap((c) => c.catalog?.entries.edges ?? []) ?? [];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.node.price).toBeNull();
    expect(new Set(codes(res))).toEqual(new Set(['FORBIDDEN']));
    expect(JSON.stringify(res)).not.toMatch(/222\.22|Negotiated prices of B/);
  });

  it('negotiated price through `resolvePrice`: B’s refused, A’s own from A’s book', async () => {
    const theirs = await sg.gql(
      RESOLVE,
      { input: { skuId: SKU, orgId: B, channelId: BOREALIS_EAST, currency: 'USD' } },
      { token: asA },
    );
    expect(codes(theirs)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(theirs)).not.toMatch(/222\.22/);
    const mine = await sg.gql(
      RESOLVE,
      { input: { skuId: SKU, orgId: A, channelId: BOREALIS_EAST, currency: 'USD' } },
      { token: asA },
    );
    // A is no member of that channel, but may ask what it would pay: its own book decides
    expect(mine.data?.resolvePrice ?? mine.errors).toMatchObject({
      scope: 'ORG',
      price: { amount: '111.11', currency: 'USD' },
      rule: { id: ROWS.priceRule.A },
    });
  });

  it('the channel’s owner sees what a member pays (from the member’s book), not the book', async () => {
    const input: ResolvePriceInput = {
      skuId: SKU,
      orgId: B,
      channelId: BOREALIS_EAST,
      currency: 'USD',
    };
    const asB = await token({ sub: 'user-of-B', org: B, scope: '' });
    const asOwner = await token({
      sub: 'atlantic-operator',
      org: demoOrgId('atlantic'),
      scope: '',
    });
    const member = await sg.gql(RESOLVE, { input }, { token: asB });
    const owner = await sg.gql(RESOLVE, { input }, { token: asOwner });
    expect(member.errors).toBeUndefined();
    expect(owner.errors).toBeUndefined();
    expect(member.data.resolvePrice).toMatchObject({
      scope: 'ORG',
      price: { amount: '222.22' },
      rule: { id: ROWS.priceRule.B },
    });
    expect(owner.data.resolvePrice).toEqual({ ...member.data.resolvePrice, rule: null });
  });
});

describe('tenant A cannot write for tenant B', () => {
  const BOREALIS_EAST = demoId('channel', 'BOREALIS-EAST');
  const writes: [string, string, Record<string, unknown>][] = [
    [
      'a channel owned by B',
      op('CreateChannel'),
      { input: { ownerOrgId: B, code: 'EVIL-B', name: 'Evil', currency: 'USD' } },
    ],
    ['a certification of B', op('AddOrgCertification'), { orgId: B, code: 'EVIL' }],
    [
      'a member of a channel A does not own',
      op('AddChannelMember'),
      { channelId: BOREALIS_EAST, orgId: A },
    ],
    [
      'a relationship between B and another organization',
      op('CreateOrgRelationship'),
      { input: { fromOrgId: B, toOrgId: demoOrgId('borealis'), type: 'DEALER_OF' } },
    ],
  ];
  const total = async () =>
    (
      await sg.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM org_graph.channel) + (SELECT count(*) FROM org_graph.org_certification)
              + (SELECT count(*) FROM org_graph.channel_member) + (SELECT count(*) FROM org_graph.org_relationship)
              + (SELECT count(*) FROM agreements.outbox_event) AS n`,
      )
    )[0]!.n;

  it.each(writes)('refuses %s, writes nothing, and audits the refusal', async (_, query, vars) => {
    const before = await total();
    const requestId = `deny-${Math.random().toString(36).slice(2, 10)}`;
    const res = await sg.gql(query, vars, {
      token: asA,
      headers: { 'x-request-id': requestId },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await total()).toBe(before);
    const audit = await sg.db.query<Record<string, unknown>>(
      `SELECT actor, org_id::text AS org, result, action, request_id FROM org_graph.audit_log
       WHERE request_id = $1`,
      [requestId],
    );
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'user-of-A',
        org: A,
        result: 'DENIED',
        request_id: requestId,
      }),
    ]);
    expect(String(audit[0]!.action)).toMatch(/^mutation\./);
  });
});

describe('tenant A cannot write B’s prices or offerings', () => {
  const SKU = demoId('sku', 'BOR-01-28');
  const writes: [string, string, Record<string, unknown>][] = [
    [
      'a rule in B’s negotiated price book',
      op('CreatePriceRule'),
      { input: { priceBookId: ROWS.priceBook.B, skuId: SKU, kind: 'FIXED', amount: '0.01' } },
    ],
    [
      'a negotiated price book for B',
      op('CreatePriceBook'),
      { input: { name: 'Evil', currency: 'USD', scope: 'ORG', orgId: B } },
    ],
    [
      'an offering sold by B',
      op('CreateOffering'),
      { input: { sellerOrgId: B, skuId: demoId('sku', 'BOR-01-36'), name: 'Evil' } },
    ],
    [
      'B’s offering draft',
      op('UpdateOfferingDraft'),
      { id: ROWS.offeringDraft.B, input: { name: 'Evil' } },
    ],
  ];
  const state = async () =>
    (
      await sg.db.query<Record<string, unknown>>(
        `SELECT (SELECT count(*)::int FROM pricing.price_book) AS books,
                (SELECT count(*)::int FROM pricing.price_rule) AS rules,
                (SELECT count(*)::int FROM catalog.offering) AS offerings,
                (SELECT draft_name FROM catalog.offering WHERE id = $1) AS draft`,
        [ROWS.offeringDraft.B],
      )
    )[0];

  it.each(writes)('refuses %s and writes nothing', async (_, query, vars) => {
    const before = await state();
    const res = await sg.gql(query, vars, { token: asA });
    expect(codes(res)).toHaveLength(1);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(codes(res)[0]);
    expect(await state()).toEqual(before);
    expect(JSON.stringify(res)).not.toMatch(/222\.22|Draft offering of B|Negotiated prices of B/);
  });
});

describe('tenant A cannot report, decide or move B’s tickets', () => {
  const ACME = demoOrgId('acme');
  const ticketState = async () =>
    (
      await sg.db.query<Record<string, unknown>>(
        `SELECT (SELECT count(*)::int FROM service_policy.ticket) AS tickets,
                (SELECT count(*)::int FROM service_policy.service_policy) AS policies,
                (SELECT status::text FROM service_policy.ticket WHERE id = $1) AS status`,
        [ROWS.ticket.B],
      )
    )[0];

  it('refuses a ticket reported in B’s name, a policy for a manufacturer A is not, a move of B’s ticket', async () => {
    const before = await ticketState();
    const asAWriter = await token({ sub: 'user-of-A', org: A, scope: `${SCOPES} policy:write` });
    const report = await sg.gql(
      op('CreateTicket'),
      {
        input: {
          skuId: demoId('sku', 'ACM-01-9KW'),
          region: 'DE',
          issueType: 'LEAK',
          priority: 'P1',
          reportedByOrgId: B,
        },
      },
      { token: asAWriter },
    );
    expect(codes(report)).toEqual(['FORBIDDEN']);
    const policy = await sg.gql(
      op('CreateServicePolicy'),
      { input: { manufacturerId: ACME, name: 'Evil routing', chain: ['DEALER'], priority: 999 } },
      { token: asAWriter },
    );
    expect(codes(policy)).toEqual(['FORBIDDEN']);
    const move = await sg.gql(
      op('UpdateTicketStatus'),
      { id: ROWS.ticket.B, status: 'ASSIGNED' },
      { token: asAWriter },
    );
    expect(codes(move)).toEqual(['NOT_FOUND']);
    expect(await ticketState()).toEqual(before);
  });

  it('a relationship B declared alone makes B responsible for nothing', async () => {
    // B proposes to be Acme's dealer everywhere; Acme never accepts
    const asB = await token({ sub: 'user-of-B', org: B, scope: 'org:write' });
    const proposed = await sg.gql(
      op('CreateOrgRelationship'),
      { input: { fromOrgId: B, toOrgId: ACME, type: 'DEALER_OF' } },
      { token: asB },
    );
    expect(proposed.data.createOrgRelationship.status).toBe('PROPOSED');
    const asAcme = await token({
      sub: 'acme-admin',
      org: ACME,
      scope: 'policy:write tickets:write',
    });
    const policy = await sg.gql(
      op('CreateServicePolicy'),
      {
        input: {
          manufacturerId: ACME,
          name: 'Dealers in New York',
          chain: ['DEALER'],
          priority: 500,
          conditions: { regions: ['US-NY'] },
        },
      },
      { token: asAcme },
    );
    expect(policy.errors).toBeUndefined();
    // nor can Acme name B as its default organization: nothing B declared alone counts
    const asDefault = await sg.gql(
      op('UpdateServicePolicy'),
      { id: policy.data.createServicePolicy.id, input: { defaultOrgId: B } },
      { token: asAcme },
    );
    expect(codes(asDefault)).toEqual(['BAD_USER_INPUT']);
    const ticket = await sg.gql(
      op('CreateTicket'),
      {
        input: {
          skuId: demoId('sku', 'ACM-01-9KW'),
          region: 'US-NY',
          issueType: 'NO_HEAT',
          priority: 'P2',
          reportedByOrgId: ACME,
        },
      },
      { token: asAcme },
    );
    expect(ticket.errors).toBeUndefined();
    expect(ticket.data.createTicket.responsibleOrg?.id).toBe(ACME);
    expect(ticket.data.createTicket.provenance?.steps).toEqual([
      {
        role: 'DEALER',
        org: { id: demoOrgId('koeln-klima') },
        outcome: 'SKIPPED',
        reason: 'TERRITORY_MISMATCH',
      },
    ]);
    // and B cannot read it
    const read = await sg.gql(
      'query($id: ID!) { ticket(id: $id) { id } }',
      { id: ticket.data.createTicket.id },
      { token: asB },
    );
    expect(read.data.ticket).toBeNull();
  });
});
