// The subgraph against a real (in-memory PGlite) database with the slice's migrations applied:
// visibility in the SQL, DataLoader batching, federation references, argument errors.
import { type Caller, createLogger, Flags, Metrics, type RequestContext } from '@trellis/kit';
import { executeAsCaller } from '@trellis/kit/testing';
import { type Database, migrateSlice, openDatabase } from '@trellis/prisma';
import { PrismaClient } from '@trellis/prisma/agreements/generated/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreements } from './index.js';
import type { AgreementsPrisma } from './prisma.js';
import { callerOf } from './testing.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';
const D = '0190a000-0000-7000-8000-00000000000d';
const E = '0190a000-0000-7000-8000-00000000000e';
const MISSING = '0190a000-0000-7000-8000-0000000000ff';
const admin = callerOf(null, 'admin');

let db: Database;
let prisma: AgreementsPrisma;
let service: ReturnType<typeof createAgreements>;
let statements = 0;
const base: Omit<RequestContext, 'caller'> = {
  requestId: 'test',
  logger: createLogger('agreements-test', 'silent'),
  flags: Flags.fromSettings({}),
  metrics: new Metrics({ defaultMetrics: false }),
};
const ids = {} as Record<
  'ag1' | 'ag2' | 'ag3' | 'p1' | 'p2' | 'p3' | 'sA' | 'sB' | 'e1' | 'e2' | 'e3' | 'e4',
  string
>;

async function run(caller: Caller, source: string, variableValues?: Record<string, unknown>) {
  const contextValue = service.context({ ...base, caller });
  return (await executeAsCaller(service.schema, contextValue, source, variableValues)) as any;
}

async function seed() {
  const agreement = async (
    parties: string[],
    data: { status?: 'DRAFT' | 'ACTIVE'; validTo?: Date } = {},
  ) =>
    (
      await prisma.agreement.create({
        data: {
          type: 'SERVICE',
          validFrom: new Date('2026-01-01T00:00:00Z'),
          createdByOrgId: parties[0]!,
          terms: { responseHours: 4 },
          ...data,
          parties: { create: parties.map((orgId) => ({ orgId })) },
        },
      })
    ).id;
  const policy = async (orgId: string, name: string, position: number) =>
    (
      await prisma.slaPolicy.create({
        data: {
          orgId,
          name,
          position,
          validFrom: new Date('2026-01-01T00:00:00Z'),
          definition: { targets: [] },
        },
      })
    ).id;
  const event = async (orgId: string | null, type: string) =>
    (
      await prisma.outboxEvent.create({
        data: { orgId, type, aggregateType: 'Agreement', aggregateId: 'x', payload: { type } },
      })
    ).id;

  ids.ag1 = await agreement([A, B], {
    status: 'ACTIVE',
    validTo: new Date('2026-02-01T00:00:00Z'),
  });
  ids.ag2 = await agreement([B, C], { status: 'ACTIVE' });
  ids.ag3 = await agreement([A, C]);
  ids.p1 = await policy(A, 'standard', 2);
  ids.p2 = await policy(A, 'premium', 1);
  ids.p3 = await policy(C, 'partner', 1);
  await prisma.agreementSlaPolicy.createMany({
    data: [
      { agreementId: ids.ag1, slaPolicyId: ids.p1 },
      { agreementId: ids.ag1, slaPolicyId: ids.p2 },
      { agreementId: ids.ag2, slaPolicyId: ids.p3 },
    ],
  });
  // 40 agreements between D and E, each applying p3, for the batching checks
  for (let i = 0; i < 40; i++) {
    const id = await agreement([D, E]);
    await prisma.agreementSlaPolicy.create({ data: { agreementId: id, slaPolicyId: ids.p3 } });
  }
  ids.e1 = await event(A, 'agreement.created');
  ids.e2 = await event(A, 'ticket.created');
  ids.e3 = await event(B, 'ticket.created');
  ids.e4 = await event(null, 'platform.started');
  const subscription = async (orgId: string) =>
    (
      await prisma.webhookSubscription.create({
        data: { orgId, url: 'https://hooks.example.com/in', eventTypes: ['*'], secret: 'whsec_x' },
      })
    ).id;
  ids.sA = await subscription(A);
  ids.sB = await subscription(B);
  await prisma.webhookDelivery.createMany({
    data: [
      {
        subscriptionId: ids.sA,
        eventId: ids.e1,
        eventType: 'agreement.created',
        status: 'DELIVERED',
        attempts: 1,
        lastResponseCode: 200,
        deliveredAt: new Date(),
      },
      {
        subscriptionId: ids.sA,
        eventId: ids.e2,
        eventType: 'ticket.created',
        status: 'DEAD',
        attempts: 8,
        lastResponseCode: 500,
        lastError: 'HTTP 500',
      },
      { subscriptionId: ids.sB, eventId: ids.e3, eventType: 'ticket.created' },
    ],
  });
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  await migrateSlice(db, 'agreements');
  db.onStatement(() => statements++);
  // the fixtures are written as the owner (bootstrap), not through a tenant's runtime role
  prisma = new PrismaClient({ adapter: db.ownerAdapter('agreements') });
  service = createAgreements({ db, ...base });
  await seed();
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.close();
});

// the contract's operation, without the fields other subgraphs resolve (Organization.name)
const AGREEMENTS = `query Agreements($orgId: ID, $first: Int, $after: String) {
  agreements(orgId: $orgId, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id type status version validFrom validTo terms parties { id } slaPolicies { id } } }
  }
}`;
const nodes = (connection: { edges: { node: { id: string } }[] }) =>
  connection.edges.map((e) => e.node.id);

describe('agreements', () => {
  it('lists the agreements the caller is a party of', async () => {
    const { data, errors } = await run(callerOf(A), AGREEMENTS);
    expect(errors).toBeUndefined();
    expect(data.agreements.totalCount).toBe(2);
    expect(nodes(data.agreements).sort()).toEqual([ids.ag1, ids.ag3].sort());
  });

  it('answers parties, SLA policies by position, and EXPIRED past validTo', async () => {
    const { data } = await run(callerOf(B), AGREEMENTS);
    const ag1 = data.agreements.edges.find(
      (e: { node: { id: string } }) => e.node.id === ids.ag1,
    ).node;
    expect(ag1.parties.map((p: { id: string }) => p.id)).toEqual([A, B]);
    expect(ag1.slaPolicies.map((p: { id: string }) => p.id)).toEqual([ids.p2, ids.p1]);
    expect(ag1.status).toBe('EXPIRED');
    expect(ag1.terms).toEqual({ responseHours: 4 });
    expect(ag1.validTo).toBe('2026-02-01T00:00:00.000Z');
  });

  it('narrows another organization to the agreements shared with the caller', async () => {
    const { data } = await run(callerOf(A), AGREEMENTS, { orgId: C });
    expect(nodes(data.agreements)).toEqual([ids.ag3]);
    expect(data.agreements.totalCount).toBe(1);
  });

  it('shows admin every agreement, or one organization’s', async () => {
    expect((await run(admin, AGREEMENTS)).data.agreements.totalCount).toBe(43);
    const { data } = await run(admin, AGREEMENTS, { orgId: C });
    expect(nodes(data.agreements).sort()).toEqual([ids.ag2, ids.ag3].sort());
  });

  it('shows nothing to a caller without an organization, without asking the database', async () => {
    statements = 0;
    const { data } = await run(callerOf(null, 'agreements:write'), AGREEMENTS);
    expect(data.agreements).toMatchObject({ totalCount: 0, edges: [] });
    expect(statements).toBe(0);
  });

  it('pages with first/after', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 30; i++) {
      const { data } = await run(callerOf(D), AGREEMENTS, { first: 15, after });
      seen.push(...nodes(data.agreements));
      if (!data.agreements.pageInfo.hasNextPage) break;
      after = data.agreements.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });

  it('batches: a page of 40 agreements costs as many statements as a page of 2', async () => {
    statements = 0;
    await run(callerOf(D), AGREEMENTS, { first: 2 });
    const small = statements;
    statements = 0;
    const { data } = await run(callerOf(D), AGREEMENTS, { first: 40 });
    expect(data.agreements.edges).toHaveLength(40);
    expect(statements).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });

  it('refuses an orgId that is not an id', async () => {
    const { errors } = await run(callerOf(A), AGREEMENTS, { orgId: 'acme' });
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orgId' });
  });

  it('refuses first above 100', async () => {
    const { errors } = await run(callerOf(A), AGREEMENTS, { first: 101 });
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('answers agreement(id) to parties and null to anyone else', async () => {
    const q = 'query($id: ID!) { agreement(id: $id) { id } }';
    expect((await run(callerOf(B), q, { id: ids.ag1 })).data.agreement).toEqual({ id: ids.ag1 });
    expect((await run(callerOf(C), q, { id: ids.ag1 })).data.agreement).toBeNull();
    expect((await run(callerOf(C), q, { id: MISSING })).data.agreement).toBeNull();
    const notAnId = await run(callerOf(C), q, { id: 'nope' });
    expect(notAnId.errors).toBeUndefined();
    expect(notAnId.data.agreement).toBeNull();
  });
});

describe('federation references', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Agreement { id }
    ... on SlaPolicy { id name }
    ... on WebhookSubscription { id url }
  } }`;
  const refs = () => [
    { __typename: 'Agreement', id: ids.ag1 },
    { __typename: 'Agreement', id: ids.ag2 },
    { __typename: 'SlaPolicy', id: ids.p1 },
    { __typename: 'SlaPolicy', id: ids.p3 },
    { __typename: 'WebhookSubscription', id: ids.sA },
    { __typename: 'WebhookSubscription', id: ids.sB },
  ];

  it('resolves only what the caller may see, null for the rest', async () => {
    const { data, errors } = await run(callerOf(A), ENTITIES, { r: refs() });
    expect(errors).toBeUndefined();
    expect(data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([
      ids.ag1,
      null,
      ids.p1,
      null,
      ids.sA,
      null,
    ]);
  });

  it('shows a policy to the parties of an agreement that applies it', async () => {
    const { data } = await run(callerOf(B), ENTITIES, { r: refs() });
    expect(data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([
      ids.ag1,
      ids.ag2,
      ids.p1,
      ids.p3,
      null,
      ids.sB,
    ]);
  });

  it('batches references: 40 agreements cost as many statements as 2', async () => {
    const all = await prisma.agreementParty.findMany({ where: { orgId: D } });
    const reps = (n: number) =>
      all.slice(0, n).map((p) => ({ __typename: 'Agreement', id: p.agreementId }));
    statements = 0;
    await run(callerOf(D), ENTITIES, { r: reps(2) });
    const small = statements;
    statements = 0;
    const { data } = await run(callerOf(D), ENTITIES, { r: reps(40) });
    expect(data._entities.filter(Boolean)).toHaveLength(40);
    expect(statements).toBe(small);
  });
});

describe('slaPolicies', () => {
  const Q = `query($orgId: ID) { slaPolicies(orgId: $orgId) {
    totalCount edges { node { id name position version definition org { id } } } } }`;

  it('lists the caller’s own policies and those its agreements apply', async () => {
    expect(nodes((await run(callerOf(A), Q)).data.slaPolicies).sort()).toEqual(
      [ids.p1, ids.p2].sort(),
    );
    expect(nodes((await run(callerOf(B), Q)).data.slaPolicies).sort()).toEqual(
      [ids.p1, ids.p2, ids.p3].sort(),
    );
    const { data } = await run(callerOf(B), Q, { orgId: C });
    expect(data.slaPolicies.totalCount).toBe(1);
    expect(data.slaPolicies.edges[0].node).toMatchObject({ id: ids.p3, org: { id: C } });
  });

  it('answers slaPolicy(id) null to a stranger', async () => {
    const q = 'query($id: ID!) { slaPolicy(id: $id) { id } }';
    expect((await run(callerOf(C), q, { id: ids.p1 })).data.slaPolicy).toBeNull();
    expect((await run(callerOf(C), q, { id: ids.p3 })).data.slaPolicy).toEqual({ id: ids.p3 });
    expect((await run(admin, q, { id: ids.p1 })).data.slaPolicy).toEqual({ id: ids.p1 });
  });
});

describe('events', () => {
  const EVENTS = `query Events($first: Int, $after: String, $type: String) {
    events(first: $first, after: $after, type: $type) {
      totalCount
      edges { node { id type aggregateType aggregateId occurredAt payload } }
    }
  }`;

  it('shows the caller its own organization’s events, oldest first', async () => {
    const { data, errors } = await run(callerOf(A), EVENTS);
    expect(errors).toBeUndefined();
    expect(nodes(data.events)).toEqual([ids.e1, ids.e2]);
    expect(data.events.edges[0].node).toMatchObject({
      type: 'agreement.created',
      aggregateType: 'Agreement',
      payload: { type: 'agreement.created' },
    });
  });

  it('filters by type in the database', async () => {
    const { data } = await run(callerOf(A), EVENTS, { type: 'ticket.created' });
    expect(nodes(data.events)).toEqual([ids.e2]);
    expect(data.events.totalCount).toBe(1);
  });

  it('shows admin every event, platform events included', async () => {
    const { data } = await run(admin, EVENTS);
    expect(nodes(data.events)).toEqual([ids.e1, ids.e2, ids.e3, ids.e4]);
    const tickets = await run(admin, EVENTS, { type: 'ticket.created' });
    expect(tickets.data.events.totalCount).toBe(2);
  });

  it('shows nothing to a caller without an organization', async () => {
    expect((await run(callerOf(null), EVENTS)).data.events.totalCount).toBe(0);
  });

  it('refuses a type that is not an event type', async () => {
    const { errors } = await run(callerOf(A), EVENTS, { type: 'ticket' });
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'type' });
  });
});

describe('webhooks', () => {
  const DELIVERIES = `query WebhookDeliveries($subscriptionId: ID!, $status: DeliveryStatus, $first: Int, $after: String) {
    webhookDeliveries(subscriptionId: $subscriptionId, status: $status, first: $first, after: $after) {
      totalCount
      edges { node { id eventId eventType status attempts lastResponseCode lastError nextAttemptAt deliveredAt } }
    }
  }`;

  it('lists a subscription’s deliveries to its owner, by status', async () => {
    const all = await run(callerOf(A), DELIVERIES, { subscriptionId: ids.sA });
    expect(all.errors).toBeUndefined();
    expect(all.data.webhookDeliveries.totalCount).toBe(2);
    const dead = await run(callerOf(A), DELIVERIES, { subscriptionId: ids.sA, status: 'DEAD' });
    expect(dead.data.webhookDeliveries.edges.map((e: { node: unknown }) => e.node)).toEqual([
      expect.objectContaining({
        eventId: ids.e2,
        eventType: 'ticket.created',
        status: 'DEAD',
        attempts: 8,
        lastResponseCode: 500,
        lastError: 'HTTP 500',
        deliveredAt: null,
      }),
    ]);
  });

  it('answers another organization’s subscription like a missing one', async () => {
    const theirs = await run(callerOf(B), DELIVERIES, { subscriptionId: ids.sA });
    expect(theirs.errors[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'subscriptionId',
    });
    expect(theirs.data).toBeNull();
    const missing = await run(callerOf(B), DELIVERIES, { subscriptionId: MISSING });
    expect(missing.errors[0].message).toBe(theirs.errors[0].message.replace(ids.sA, MISSING));
  });

  it('lets admin read any subscription’s deliveries', async () => {
    const { data } = await run(admin, DELIVERIES, { subscriptionId: ids.sB });
    expect(data.webhookDeliveries.edges[0].node).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('lists the caller’s subscriptions without their secrets', async () => {
    const q = '{ webhookSubscriptions { totalCount edges { node { id url eventTypes active } } } }';
    const { data } = await run(callerOf(B), q);
    expect(data.webhookSubscriptions.edges).toEqual([
      {
        node: { id: ids.sB, url: 'https://hooks.example.com/in', eventTypes: ['*'], active: true },
      },
    ]);
    expect(service.schema.getType('WebhookSubscription')?.toString()).toBe('WebhookSubscription');
    const fields = Object.keys(
      (service.schema.getType('WebhookSubscription') as { getFields(): object }).getFields(),
    );
    expect(fields).not.toContain('secret');
  });
});
