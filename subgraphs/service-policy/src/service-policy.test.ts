// The subgraph against a real (in-memory PGlite) database with this slice's migrations:
// resolvers, SQL filters, DataLoader batching and federation entity resolution.
import { type Caller, createLogger, Flags, Metrics } from '@trellis/kit';
import { executeAsCaller } from '@trellis/kit/testing';
import { type Database, migrateSlice, openDatabase } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/service-policy/generated/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServicePolicy } from './index.js';
import type { ServicePolicyPrisma } from './prisma.js';

const MAKER = '0190a000-0000-7000-8000-000000000001';
const DEALER = '0190a000-0000-7000-8000-000000000002';
const PARTNER = '0190a000-0000-7000-8000-000000000003';
const STRANGER = '0190a000-0000-7000-8000-000000000004';
const OTHER_MAKER = '0190a000-0000-7000-8000-000000000005';
const SKU = '0190b000-0000-7000-8000-000000000001';
const PRODUCT = '0190b000-0000-7000-8000-000000000002';
const UNKNOWN = '0190c000-0000-7000-8000-000000000000';

let db: Database;
let prisma: ServicePolicyPrisma;
let service: ReturnType<typeof createServicePolicy>;
let statements = 0;
const ids = { policy: '', otherPolicy: '', assigned: '', foreign: '', open: [] as string[] };

const caller = (orgId: string | null, scopes: string[] = []): Caller => ({
  subject: `user-of-${orgId ?? 'none'}`,
  orgId,
  scopes: new Set(scopes),
});
const ADMIN = caller(null, ['admin']);

async function run(who: Caller, source: string, variableValues: Record<string, unknown> = {}) {
  const metrics = new Metrics({ defaultMetrics: false });
  const contextValue = service.context({
    caller: who,
    requestId: 'test-request',
    logger: createLogger('service-policy-test', 'silent'),
    flags,
    metrics,
  });
  const before = statements;
  const result = await executeAsCaller(service.schema, contextValue, source, variableValues);
  return {
    data: result.data as Record<string, any> | null | undefined,
    errors: result.errors,
    codes: result.errors?.map((e) => e.extensions.code),
    statements: statements - before,
  };
}

// ENABLE_SERVICE_POLICIES is on for the manufacturer only
const flags = Flags.fromSettings({
  ENABLE_SERVICE_POLICIES: { enabled: false, tenants: { [MAKER]: true } },
});

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'service-policy');
  db.onStatement((slice) => {
    if (slice === 'service-policy') statements++;
  });
  // the fixtures are written as the owner (bootstrap), not through a tenant's runtime role
  prisma = new PrismaClient({ adapter: db.ownerAdapter('service-policy') });
  service = createServicePolicy({
    db,
    flags,
    metrics: new Metrics({ defaultMetrics: false }),
    logger: createLogger('service-policy-test', 'silent'),
  });

  const definition = {
    manufacturerId: MAKER,
    name: 'Cooling issues in DACH',
    priority: 10,
    chain: ['DISTRIBUTOR', 'DEALER'] as const,
    conditions: { regions: ['DE', 'AT'], issueTypes: ['NO_COOLING'] },
    requiredCertification: 'F-GAS',
    defaultOrgId: PARTNER,
    validFrom: new Date('2026-01-01T00:00:00Z'),
  };
  const policy = await prisma.servicePolicy.create({
    data: { ...definition, chain: [...definition.chain], version: 2 },
  });
  ids.policy = policy.id;
  for (const version of [1, 2]) {
    await prisma.servicePolicyVersion.create({
      data: {
        policyId: policy.id,
        version,
        name: definition.name,
        priority: version === 1 ? 5 : 10,
        enabled: true,
        chain: [...definition.chain],
        conditions: definition.conditions,
        requiredCertification: definition.requiredCertification,
        defaultOrgId: definition.defaultOrgId,
        validFrom: definition.validFrom,
      },
    });
  }
  ids.otherPolicy = (
    await prisma.servicePolicy.create({
      data: { manufacturerId: OTHER_MAKER, name: 'Everything', chain: ['MANUFACTURER'] },
    })
  ).id;

  const assigned = await prisma.ticket.create({
    data: {
      skuId: SKU,
      productId: PRODUCT,
      manufacturerId: MAKER,
      region: 'DE',
      lat: 50.9375,
      lng: 6.9603,
      issueType: 'NO_COOLING',
      priority: 'P2',
      status: 'ASSIGNED',
      reportedByOrgId: DEALER,
      requiredSkills: [{ code: 'HVAC', level: 3 }],
      responsibleOrgId: PARTNER,
      policyId: policy.id,
      policyVersion: 2,
      provenance: {
        policyId: policy.id,
        policyVersion: 2,
        fallback: 'CHAIN',
        decidedAt: '2026-11-23T10:00:00.000Z',
        steps: [
          {
            role: 'DISTRIBUTOR',
            orgId: null,
            outcome: 'SKIPPED',
            reason: 'NO_RELATIONSHIP',
            candidates: 0,
          },
          {
            role: 'DEALER',
            orgId: PARTNER,
            outcome: 'SELECTED',
            reason: 'SELECTED',
            candidates: 1,
          },
        ],
      },
    },
  });
  ids.assigned = assigned.id;
  ids.foreign = (
    await prisma.ticket.create({
      data: {
        skuId: SKU,
        manufacturerId: OTHER_MAKER,
        region: 'FR',
        issueType: 'LEAK',
        priority: 'P4',
        status: 'RESOLVED',
        reportedByOrgId: STRANGER,
      },
    })
  ).id;
  for (let i = 0; i < 5; i++) {
    const t = await prisma.ticket.create({
      data: {
        skuId: SKU,
        manufacturerId: MAKER,
        region: 'AT',
        issueType: 'NOISE',
        priority: 'P3',
        reportedByOrgId: DEALER,
      },
    });
    ids.open.push(t.id);
  }
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const POLICIES = /* GraphQL */ `
  query ServicePolicies($manufacturerId: ID, $first: Int, $after: String) {
    servicePolicies(manufacturerId: $manufacturerId, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name priority enabled version chain requiredCertification validFrom validTo
        conditions { productIds skuIds regions issueTypes } manufacturer { id } defaultOrg { id } } }
    }
  }`;

describe('service policies', () => {
  it('lists policies, filtered by manufacturer, with the contract fields', async () => {
    const all = await run(caller(MAKER), POLICIES);
    expect(all.errors).toBeUndefined();
    expect(all.data?.servicePolicies.totalCount).toBe(2);

    const mine = await run(caller(MAKER), POLICIES, { manufacturerId: MAKER });
    expect(mine.data?.servicePolicies.totalCount).toBe(1);
    expect(mine.data?.servicePolicies.edges[0].node).toEqual({
      id: ids.policy,
      name: 'Cooling issues in DACH',
      priority: 10,
      enabled: true,
      version: 2,
      chain: ['DISTRIBUTOR', 'DEALER'],
      requiredCertification: 'F-GAS',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: null,
      conditions: { productIds: [], skuIds: [], regions: ['AT', 'DE'], issueTypes: ['NO_COOLING'] },
      manufacturer: { id: MAKER },
      defaultOrg: { id: PARTNER },
    });
  });

  it('pages with first/after', async () => {
    const first = await run(caller(MAKER), POLICIES, { first: 1 });
    expect(first.data?.servicePolicies.edges).toHaveLength(1);
    expect(first.data?.servicePolicies.pageInfo.hasNextPage).toBe(true);
    const next = await run(caller(MAKER), POLICIES, {
      first: 1,
      after: first.data?.servicePolicies.pageInfo.endCursor,
    });
    expect(next.data?.servicePolicies.edges[0].node.id).not.toBe(
      first.data?.servicePolicies.edges[0].node.id,
    );
    expect(next.data?.servicePolicies.pageInfo.hasNextPage).toBe(false);
    const tooMany = await run(caller(MAKER), POLICIES, { first: 101 });
    expect(tooMany.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a malformed manufacturer id, naming the argument', async () => {
    const res = await run(caller(MAKER), POLICIES, { manufacturerId: 'acme' });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions.field).toBe('manufacturerId');
  });

  it('answers FEATURE_DISABLED where ENABLE_SERVICE_POLICIES is off, touching nothing', async () => {
    const res = await run(caller(DEALER), POLICIES);
    expect(res.codes).toEqual(['FEATURE_DISABLED']);
    expect(res.statements).toBe(0);
    const one = await run(caller(DEALER), 'query($id: ID!) { servicePolicy(id: $id) { id } }', {
      id: ids.policy,
    });
    expect(one.codes).toEqual(['FEATURE_DISABLED']);
  });

  it('answers one policy by id, null for an unknown or malformed id', async () => {
    const q = 'query($id: ID!) { servicePolicy(id: $id) { id version } }';
    expect((await run(caller(MAKER), q, { id: ids.policy })).data?.servicePolicy).toEqual({
      id: ids.policy,
      version: 2,
    });
    expect((await run(caller(MAKER), q, { id: UNKNOWN })).data?.servicePolicy).toBeNull();
    const malformed = await run(caller(MAKER), q, { id: 'nope' });
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data?.servicePolicy).toBeNull();
  });

  it('resolves policy references in one statement', async () => {
    const res = await run(
      caller(MAKER),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on ServicePolicy { id name } } }',
      {
        r: [ids.policy, ids.otherPolicy, UNKNOWN].map((id) => ({
          __typename: 'ServicePolicy',
          id,
        })),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e: any) => e?.id ?? null)).toEqual([
      ids.policy,
      ids.otherPolicy,
      null,
    ]);
    expect(res.statements).toBe(1);
  });

  it('keeps published versions immutable in the database', async () => {
    await expect(
      prisma.servicePolicyVersion.update({
        where: { policyId_version: { policyId: ids.policy, version: 1 } },
        data: { name: 'x' },
      }),
    ).rejects.toThrow();
    await expect(
      prisma.servicePolicyVersion.deleteMany({ where: { policyId: ids.policy } }),
    ).rejects.toThrow();
    expect(await prisma.servicePolicyVersion.count({ where: { policyId: ids.policy } })).toBe(2);
  });
});

const TICKET = /* GraphQL */ `
  query Ticket($id: ID!) {
    ticket(id: $id) {
      id status priority region issueType createdAt
      sku { id } reportedBy { id } manufacturer { id } location { lat lng } requiredSkills { code level }
      responsibleOrg { id }
      provenance { policyId policyVersion fallback decidedAt steps { role org { id } outcome reason candidates } }
    }
  }`;

const TICKETS = /* GraphQL */ `
  query Tickets($first: Int, $after: String, $responsibleOrgId: ID, $status: TicketStatus) {
    tickets(first: $first, after: $after, responsibleOrgId: $responsibleOrgId, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id status responsibleOrg { id } } }
    }
  }`;

describe('tickets', () => {
  it('answers a ticket with its responsibility provenance to the organizations it concerns', async () => {
    for (const org of [DEALER, PARTNER, MAKER]) {
      const res = await run(caller(org), TICKET, { id: ids.assigned });
      expect(res.errors).toBeUndefined();
      expect(res.data?.ticket).toMatchObject({
        id: ids.assigned,
        status: 'ASSIGNED',
        priority: 'P2',
        region: 'DE',
        issueType: 'NO_COOLING',
        sku: { id: SKU },
        reportedBy: { id: DEALER },
        manufacturer: { id: MAKER },
        location: { lat: 50.9375, lng: 6.9603 },
        requiredSkills: [{ code: 'HVAC', level: 3 }],
        responsibleOrg: { id: PARTNER },
        provenance: {
          policyId: ids.policy,
          policyVersion: 2,
          fallback: 'CHAIN',
          decidedAt: '2026-11-23T10:00:00.000Z',
          steps: [
            {
              role: 'DISTRIBUTOR',
              org: null,
              outcome: 'SKIPPED',
              reason: 'NO_RELATIONSHIP',
              candidates: 0,
            },
            {
              role: 'DEALER',
              org: { id: PARTNER },
              outcome: 'SELECTED',
              reason: 'SELECTED',
              candidates: 1,
            },
          ],
        },
      });
      expect(res.data?.ticket.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('answers null for a ticket the caller may not see, an unknown and a malformed id', async () => {
    expect((await run(caller(STRANGER), TICKET, { id: ids.assigned })).data?.ticket).toBeNull();
    expect(
      (await run(caller(null, ['tickets:write']), TICKET, { id: ids.assigned })).data?.ticket,
    ).toBeNull();
    expect((await run(ADMIN, TICKET, { id: ids.assigned })).data?.ticket.id).toBe(ids.assigned);
    expect((await run(ADMIN, TICKET, { id: UNKNOWN })).data?.ticket).toBeNull();
    const malformed = await run(ADMIN, TICKET, { id: 'T-1' });
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data?.ticket).toBeNull();
  });

  it('answers null provenance, location and responsible organization while undecided', async () => {
    const res = await run(caller(DEALER), TICKET, { id: ids.open[0] });
    expect(res.data?.ticket).toMatchObject({
      status: 'OPEN',
      responsibleOrg: null,
      provenance: null,
      location: null,
      requiredSkills: [],
    });
  });

  it('lists only the tickets the caller may see, counted in SQL', async () => {
    const dealer = await run(caller(DEALER), TICKETS, { first: 100 });
    expect(dealer.errors).toBeUndefined();
    expect(dealer.data?.tickets.totalCount).toBe(6);
    expect(dealer.data?.tickets.edges.map((e: any) => e.node.id)).toEqual([
      ids.assigned,
      ...ids.open,
    ]);
    expect(dealer.statements).toBe(2); // one page query, one count

    expect((await run(caller(PARTNER), TICKETS)).data?.tickets.totalCount).toBe(1);
    expect((await run(caller(MAKER), TICKETS)).data?.tickets.totalCount).toBe(6);
    expect((await run(caller(STRANGER), TICKETS)).data?.tickets.totalCount).toBe(1);
    expect((await run(caller(OTHER_MAKER), TICKETS)).data?.tickets.totalCount).toBe(1);
    expect((await run(ADMIN, TICKETS)).data?.tickets.totalCount).toBe(7);

    const nobody = await run(caller(null), TICKETS);
    expect(nobody.data?.tickets).toMatchObject({ totalCount: 0, edges: [] });
    expect(nobody.statements).toBe(0);
  });

  it('filters by responsible organization and status within what is visible', async () => {
    const byPartner = await run(caller(DEALER), TICKETS, { responsibleOrgId: PARTNER });
    expect(byPartner.data?.tickets.edges).toEqual([
      { node: { id: ids.assigned, status: 'ASSIGNED', responsibleOrg: { id: PARTNER } } },
    ]);
    expect((await run(caller(MAKER), TICKETS, { status: 'OPEN' })).data?.tickets.totalCount).toBe(
      5,
    );
    expect(
      (await run(caller(MAKER), TICKETS, { status: 'RESOLVED' })).data?.tickets.totalCount,
    ).toBe(0);
    expect((await run(ADMIN, TICKETS, { status: 'RESOLVED' })).data?.tickets.totalCount).toBe(1);
    const bad = await run(ADMIN, TICKETS, { responsibleOrgId: 'partner' });
    expect(bad.codes).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.extensions.field).toBe('responsibleOrgId');
  });

  it('pages through the visible tickets', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await run(caller(MAKER), TICKETS, { first: 4, after });
      seen.push(...(res.data?.tickets.edges ?? []).map((e: any) => e.node.id));
      if (!res.data?.tickets.pageInfo.hasNextPage) break;
      after = res.data?.tickets.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids.assigned, ...ids.open]);
  });

  it('resolves ticket references in one statement, null where the caller may not see them', async () => {
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id status } } }';
    const r = [ids.assigned, ids.foreign, ...ids.open, UNKNOWN].map((id) => ({
      __typename: 'Ticket',
      id,
    }));
    const res = await run(caller(PARTNER), query, { r });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e: any) => e?.id ?? null)).toEqual([
      ids.assigned,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(res.statements).toBe(1);
    const admin = await run(ADMIN, query, { r });
    expect(admin.data?._entities.filter(Boolean)).toHaveLength(7);
  });
});
