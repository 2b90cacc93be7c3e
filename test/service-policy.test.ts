// Service policies and ticket responsibility (issue 10) through the gateway: policies and their
// versions, the chain walk's provenance, priorities, disabled and expired policies, the
// tenant-scoped assignment flag, the ticket state machine under concurrency, bad input.
import { DEMO_TICKETS, demoId, demoOrgId, demoPolicyId, demoTicketId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  ALL_ON,
  codes,
  firstErrorExtensions,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';

const ACME = demoOrgId('acme');
const BOREALIS = demoOrgId('borealis');
const RHEINLAND = demoOrgId('rheinland');
const WIEN = demoOrgId('wien-waerme');
const KOELN = demoOrgId('koeln-klima');
const FROSTFIX = demoOrgId('frostfix');
const PACIFIC = demoOrgId('pacific');
const UNKNOWN = '0190f000-0000-7000-8000-000000000000';

// The ticket as the contract's Ticket selects it, without the engineers (issue 11) and SLA
// (issue 12) parts
const TICKET = graphql(`
  query TicketResponsibility($id: ID!) {
    ticket(id: $id) {
      id status priority region issueType
      responsibleOrg { id name }
      provenance { policyId policyVersion fallback steps { role org { id } outcome reason candidates } }
    }
  }
`);

const OWNER_TICKETS = graphql(`
  query OwnerTickets($orgId: ID!, $skuId: ID!) {
    organization(id: $orgId) { id tickets(first: 50) { totalCount edges { node { id } } } }
    sku(id: $skuId) { id tickets(first: 50, status: OPEN) { totalCount edges { node { id status } } } }
  }
`);

let sg: TestSupergraph;
let asAcme: string;
let asAcmeReporter: string;
let asWien: string;
let asPacific: string;
let product: string;

beforeAll(async () => {
  // responsibility assignment is on for the demo manufacturers only (tenant-scoped)
  sg = await startTestSupergraph({
    flags: {
      ...ALL_ON,
      ENABLE_RESP_ORG_ASSIGNMENT: { enabled: false, tenants: { [ACME]: true, [BOREALIS]: true } },
    },
  });
  asAcme = await token({ sub: 'acme-admin', org: ACME, scope: 'policy:write tickets:write' });
  asAcmeReporter = await token({ sub: 'acme-desk', org: ACME, scope: 'tickets:write' });
  asWien = await token({ sub: 'wien-desk', org: WIEN, scope: 'tickets:write' });
  asPacific = await token({
    sub: 'pacific-desk',
    org: PACIFIC,
    scope: 'tickets:write policy:write',
  });
  const created = await sg.gql(op('CreateProduct'), {
    input: { manufacturerId: ACME, name: 'Service test heat pump' },
  });
  product = created.data.createProduct.id;
});
afterAll(() => sg?.close());

let skuCount = 0;
/** A fresh Acme SKU, so that a scenario's policies (limited to it) meet no other's. */
async function acmeSku(): Promise<string> {
  const res = await sg.gql(op('CreateSku'), {
    input: { productId: product, code: `SVC-${++skuCount}`, name: `Service SKU ${skuCount}` },
  });
  expect(res.errors).toBeUndefined();
  return res.data.createSku.id;
}

async function createPolicy(input: Record<string, unknown>, tokenOf = asAcme) {
  return sg.gql(
    op('CreateServicePolicy'),
    { input: { manufacturerId: ACME, name: 'test policy', ...input } as never },
    { token: tokenOf },
  );
}

async function policyId(input: Record<string, unknown>): Promise<string> {
  const res = await createPolicy(input);
  expect(res.errors).toBeUndefined();
  return res.data.createServicePolicy.id;
}

async function createTicket(input: Record<string, unknown>, tokenOf = asAcmeReporter) {
  return sg.gql(
    op('CreateTicket'),
    {
      input: {
        issueType: 'NO_HEAT',
        priority: 'P2',
        reportedByOrgId: ACME,
        ...input,
      } as never,
    },
    { token: tokenOf },
  );
}

async function ticketOf(input: Record<string, unknown>) {
  const res = await createTicket(input);
  expect(res.errors).toBeUndefined();
  return res.data.createTicket;
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await sg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n);

describe('service policies', () => {
  it('creates a policy (version 1) for the caller’s manufacturer and lists it', async () => {
    const sku = await acmeSku();
    const res = await createPolicy({
      name: 'Heat pumps in DACH',
      priority: 7,
      chain: ['DISTRIBUTOR', 'DEALER'],
      conditions: { skuIds: [sku], regions: ['DE', 'AT'], issueTypes: ['NO_HEAT'] },
      requiredCertification: 'F-GAS',
      defaultOrgId: FROSTFIX,
      validFrom: '2026-01-01T00:00:00Z',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.createServicePolicy).toMatchObject({
      name: 'Heat pumps in DACH',
      priority: 7,
      enabled: true,
      version: 1,
      chain: ['DISTRIBUTOR', 'DEALER'],
      requiredCertification: 'F-GAS',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: null,
      conditions: { productIds: [], skuIds: [sku], regions: ['AT', 'DE'], issueTypes: ['NO_HEAT'] },
      manufacturer: { id: ACME },
      defaultOrg: { id: FROSTFIX },
    });
    const list = await sg.gql(op('ServicePolicies'), { manufacturerId: ACME, first: 100 });
    expect(list.errors).toBeUndefined();
    expect(list.data.servicePolicies.edges.map((e) => e.node)).toContainEqual({
      id: res.data.createServicePolicy.id,
      name: 'Heat pumps in DACH',
      priority: 7,
      enabled: true,
      version: 1,
      chain: ['DISTRIBUTOR', 'DEALER'],
    });
    const audit = await count(
      `service_policy.audit_log WHERE action = 'service_policy.create' AND object_id = $1`,
      [res.data.createServicePolicy.id],
    );
    expect(audit).toBe(1);
  });

  it('refuses bad policies, naming the field, writing nothing', async () => {
    const before = await count('service_policy.service_policy');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ chain: [] }, 'BAD_USER_INPUT', 'input.chain'],
      [{ chain: ['DEALER', 'DEALER'] }, 'BAD_USER_INPUT', 'input.chain'],
      [
        {
          chain: ['DEALER'],
          validFrom: '2026-05-01T00:00:00Z',
          validTo: '2026-04-01T00:00:00Z',
        },
        'BAD_USER_INPUT',
        'input.validTo',
      ],
      [{ chain: ['DEALER'], defaultOrgId: PACIFIC }, 'BAD_USER_INPUT', 'input.defaultOrgId'],
      [{ chain: ['DEALER'], defaultOrgId: UNKNOWN }, 'NOT_FOUND', 'input.defaultOrgId'],
      [
        { chain: ['DEALER'], conditions: { productIds: [UNKNOWN] } },
        'NOT_FOUND',
        'input.conditions.productIds.0',
      ],
      [
        { chain: ['DEALER'], conditions: { regions: ['Germany'] } },
        'BAD_USER_INPUT',
        'input.conditions.regions.0',
      ],
    ];
    for (const [input, code, field] of cases) {
      const res = await createPolicy(input);
      expect(codes(res), JSON.stringify(input)).toEqual([code]);
      expect(firstErrorExtensions(res).field, JSON.stringify(input)).toBe(field);
    }
    // a policy for another manufacturer: refused (and audited as a refusal)
    const foreign = await sg.gql(
      op('CreateServicePolicy'),
      { input: { manufacturerId: BOREALIS, name: 'hijack', chain: ['DEALER'] } },
      { token: asAcme },
    );
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const notAManufacturer = await createPolicy(
      { manufacturerId: PACIFIC, chain: ['DEALER'] },
      asPacific,
    );
    expect(codes(notAManufacturer)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(notAManufacturer).field).toBe('input.manufacturerId');
    expect(await count('service_policy.service_policy')).toBe(before);
    expect(
      await count(
        `service_policy.audit_log WHERE action = 'mutation.createServicePolicy' AND result = 'DENIED'`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('responsibility on ticket creation', () => {
  it('walks MANUFACTURER → DISTRIBUTOR → DEALER: the distributor lacks the certification, the dealer is selected', async () => {
    const sku = await acmeSku();
    await sg.gql(op('AddOrgCertification'), { orgId: WIEN, code: 'HP-MASTER' });
    const policy = await policyId({
      chain: ['MANUFACTURER', 'DISTRIBUTOR', 'DEALER'],
      conditions: { skuIds: [sku] },
      requiredCertification: 'HP-MASTER',
    });
    const ticket = await ticketOf({
      skuId: sku,
      region: 'AT',
      location: { lat: 48.2, lng: 16.37 },
    });
    expect(ticket).toMatchObject({
      status: 'OPEN',
      priority: 'P2',
      region: 'AT',
      issueType: 'NO_HEAT',
      sku: { id: sku },
      responsibleOrg: { id: WIEN, name: 'Wien Wärme GmbH' },
      provenance: {
        policyId: policy,
        policyVersion: 1,
        fallback: 'CHAIN',
        steps: [
          {
            role: 'MANUFACTURER',
            org: { id: ACME },
            outcome: 'SKIPPED',
            reason: 'CERTIFICATION_MISSING',
          },
          {
            role: 'DISTRIBUTOR',
            org: { id: RHEINLAND },
            outcome: 'SKIPPED',
            reason: 'CERTIFICATION_MISSING',
          },
          { role: 'DEALER', org: { id: WIEN }, outcome: 'SELECTED', reason: 'SELECTED' },
        ],
      },
    });
    expect(Date.parse(ticket.provenance?.decidedAt ?? '')).toBe(Date.parse(ticket.createdAt));
    // the same answer read back, by every party
    for (const who of [asAcmeReporter, asWien]) {
      const read = await sg.gql(TICKET, { id: ticket.id }, { token: who });
      expect(read.data.ticket?.provenance?.steps.map((s) => s.reason)).toEqual([
        'CERTIFICATION_MISSING',
        'CERTIFICATION_MISSING',
        'SELECTED',
      ]);
      expect(read.data.ticket?.provenance?.steps[2]?.candidates).toBe(3);
    }
    // events and audit rows in the same transaction
    const events = await sg.db.query<{ type: string; org_id: string }>(
      `SELECT type, org_id::text FROM agreements.outbox_event WHERE aggregate_id = $1 ORDER BY type, org_id`,
      [ticket.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.responsibility_assigned',
      'ticket.responsibility_assigned',
    ]);
    expect(
      events
        .filter((e) => e.type === 'ticket.responsibility_assigned')
        .map((e) => e.org_id)
        .sort(),
    ).toEqual([ACME, WIEN].sort());
    expect(
      await count(
        `service_policy.audit_log WHERE object_id = $1 AND action = 'ticket.create' AND after->>'responsibleOrgId' = $2`,
        [ticket.id, WIEN],
      ),
    ).toBe(1);
  });

  it('a region outside every territory falls to the default organization; after an update (version 2) without it, to the manufacturer; the first ticket keeps version 1', async () => {
    const sku = await acmeSku();
    const policy = await policyId({
      chain: ['DISTRIBUTOR', 'DEALER'],
      conditions: { skuIds: [sku] },
      defaultOrgId: FROSTFIX,
    });
    const first = await ticketOf({ skuId: sku, region: 'FR' });
    expect(first.responsibleOrg).toEqual({ id: FROSTFIX, name: 'FrostFix Service GmbH' });
    expect(first.provenance).toMatchObject({
      policyId: policy,
      policyVersion: 1,
      fallback: 'DEFAULT_ORG',
    });
    expect(first.provenance?.steps.map((s) => [s.role, s.reason])).toEqual([
      ['DISTRIBUTOR', 'TERRITORY_MISMATCH'],
      ['DEALER', 'TERRITORY_MISMATCH'],
    ]);

    const updated = await sg.gql(
      op('UpdateServicePolicy'),
      { id: policy, input: { defaultOrgId: null } },
      { token: asAcme },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateServicePolicy).toMatchObject({ id: policy, version: 2 });

    const second = await ticketOf({ skuId: sku, region: 'FR' });
    expect(second.responsibleOrg?.id).toBe(ACME);
    expect(second.provenance).toMatchObject({
      policyId: policy,
      policyVersion: 2,
      fallback: 'MANUFACTURER',
    });
    const again = await sg.gql(TICKET, { id: first.id });
    expect(again.data.ticket?.provenance).toMatchObject({
      policyVersion: 1,
      fallback: 'DEFAULT_ORG',
    });
    expect(again.data.ticket?.responsibleOrg?.id).toBe(FROSTFIX);
    expect(
      await count('service_policy.service_policy_version WHERE policy_id = $1', [policy]),
    ).toBe(2);
  });

  it('two policies match: the higher priority decides', async () => {
    const sku = await acmeSku();
    await policyId({ chain: ['SERVICE_PARTNER'], priority: 1, conditions: { skuIds: [sku] } });
    const high = await policyId({ chain: ['DEALER'], priority: 50, conditions: { skuIds: [sku] } });
    const ticket = await ticketOf({ skuId: sku, region: 'DE' });
    expect(ticket.provenance).toMatchObject({ policyId: high, fallback: 'CHAIN' });
    expect(ticket.responsibleOrg?.id).toBe(KOELN);
  });

  it('never uses a disabled or expired policy', async () => {
    const sku = await acmeSku();
    const disabled = await policyId({
      chain: ['DEALER'],
      priority: 100,
      enabled: false,
      conditions: { skuIds: [sku] },
    });
    await policyId({
      chain: ['DEALER'],
      priority: 100,
      conditions: { skuIds: [sku] },
      validFrom: '2025-01-01T00:00:00Z',
      validTo: '2025-06-01T00:00:00Z',
    });
    const current = await policyId({ chain: ['SERVICE_PARTNER'], conditions: { skuIds: [sku] } });
    const ticket = await ticketOf({ skuId: sku, region: 'DE' });
    expect(ticket.provenance?.policyId).toBe(current);
    expect(ticket.responsibleOrg?.id).toBe(FROSTFIX);
    // disabling the current one too: no policy applies
    const off = await sg.gql(
      op('UpdateServicePolicy'),
      { id: current, input: { enabled: false } },
      { token: asAcme },
    );
    expect(off.data.updateServicePolicy).toMatchObject({ enabled: false, version: 2 });
    const none = await ticketOf({ skuId: sku, region: 'DE' });
    expect(none.provenance).toEqual({
      policyId: null,
      policyVersion: null,
      fallback: 'NO_POLICY',
      decidedAt: none.createdAt,
      steps: [],
    });
    expect(none.responsibleOrg?.id).toBe(ACME);
    expect(disabled).not.toBe(current);
  });

  it('decides only for manufacturers with ENABLE_RESP_ORG_ASSIGNMENT on; the ticket is created either way', async () => {
    const glacier = await sg.gql(op('CreateOrganization'), {
      input: { name: 'Glacier Works', type: 'MANUFACTURER' },
    });
    const maker = glacier.data.createOrganization.id;
    const made = await sg.gql(op('CreateProduct'), {
      input: { manufacturerId: maker, name: 'Glacier chiller' },
    });
    const sku = await sg.gql(op('CreateSku'), {
      input: { productId: made.data.createProduct.id, code: 'GLC-1', name: 'Glacier chiller 1' },
    });
    const off = await sg.gql(op('CreateTicket'), {
      input: {
        skuId: sku.data.createSku.id,
        region: 'DE',
        issueType: 'NO_COOLING',
        priority: 'P3',
        reportedByOrgId: maker,
      },
    });
    expect(off.errors).toBeUndefined();
    expect(off.data.createTicket).toMatchObject({
      status: 'OPEN',
      responsibleOrg: null,
      provenance: null,
    });
    const on = await ticketOf({ skuId: await acmeSku(), region: 'DE' });
    expect(on.responsibleOrg).not.toBeNull();
    expect(on.provenance).not.toBeNull();
  });

  it('decides every seeded demo ticket as its recorded provenance says', async () => {
    for (const t of DEMO_TICKETS) {
      const seeded = await sg.gql(TICKET, { id: demoTicketId(t.key) });
      const again = await sg.gql(op('CreateTicket'), {
        input: {
          skuId: demoId('sku', t.sku),
          region: t.region,
          issueType: t.issueType,
          priority: t.priority,
          reportedByOrgId: demoOrgId(t.reporter),
        },
      });
      expect(again.errors, t.key).toBeUndefined();
      const { steps, fallback, policyId } = again.data.createTicket.provenance ?? {};
      expect({ steps, fallback, policyId }, t.key).toEqual({
        steps: seeded.data.ticket?.provenance?.steps.map(({ candidates: _, ...s }) => s),
        fallback: seeded.data.ticket?.provenance?.fallback,
        policyId: seeded.data.ticket?.provenance?.policyId,
      });
      expect(seeded.data.ticket?.provenance?.policyId).toBe(
        t.decision.policy ? demoPolicyId(t.decision.policy) : null,
      );
      expect(again.data.createTicket.responsibleOrg?.id, t.key).toBe(
        demoOrgId(t.decision.responsible),
      );
    }
  });
});

describe('tickets', () => {
  it('refuses bad tickets with the contract’s codes, writing nothing', async () => {
    const sku = await acmeSku();
    const before = await count('service_policy.ticket');
    const unknownSku = await createTicket({ skuId: UNKNOWN, region: 'DE' });
    expect(codes(unknownSku)).toEqual(['NOT_FOUND']);
    expect(firstErrorExtensions(unknownSku).field).toBe('input.skuId');
    const region = await createTicket({ skuId: sku, region: 'Bavaria' });
    expect(codes(region)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(region).field).toBe('input.region');
    const priority = await createTicket({ skuId: sku, region: 'DE', priority: 'P9' });
    expect(codes(priority)).toEqual(['BAD_USER_INPUT']);
    const skill = await createTicket({
      skuId: sku,
      region: 'DE',
      requiredSkills: [{ code: 'HVAC', level: 9 }],
    });
    expect(firstErrorExtensions(skill).field).toBe('input.requiredSkills.0.level');
    const forSomeoneElse = await createTicket({ skuId: sku, region: 'DE', reportedByOrgId: WIEN });
    expect(codes(forSomeoneElse)).toEqual(['FORBIDDEN']);
    expect(await count('service_policy.ticket')).toBe(before);
  });

  it('moves through the state machine; an illegal step names the current status', async () => {
    const ticket = await ticketOf({ skuId: await acmeSku(), region: 'DE' });
    const move = (status: string, who = asAcmeReporter) =>
      sg.gql(op('UpdateTicketStatus'), { id: ticket.id, status: status as never }, { token: who });
    const illegal = await move('RESOLVED');
    expect(codes(illegal)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(illegal)).toMatchObject({ field: 'status', currentStatus: 'OPEN' });
    expect(illegal.errors?.[0]?.message).toMatch(/OPEN ticket cannot move to RESOLVED/);
    for (const status of [
      'ASSIGNED',
      'IN_PROGRESS',
      'AWAITING_CUSTOMER',
      'IN_PROGRESS',
      'RESOLVED',
      'IN_PROGRESS',
      'RESOLVED',
      'CLOSED',
    ]) {
      const res = await move(status);
      expect(res.errors, status).toBeUndefined();
      expect(res.data.updateTicketStatus).toEqual({ id: ticket.id, status });
    }
    const closed = await move('IN_PROGRESS');
    expect(firstErrorExtensions(closed)).toMatchObject({
      code: 'BAD_USER_INPUT',
      currentStatus: 'CLOSED',
    });
    expect(
      await count(
        `agreements.outbox_event WHERE aggregate_id = $1 AND type = 'ticket.status_changed'`,
        [ticket.id],
      ),
    ).toBe(8); // no policy applies (NO_HEAT): reporter, manufacturer and responsible are all Acme
  });

  it('20 concurrent transitions from the same state: exactly one wins, the others are CONFLICT, nothing half-written', async () => {
    const ticket = await ticketOf({ skuId: await acmeSku(), region: 'DE' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        sg.gql(
          op('UpdateTicketStatus'),
          { id: ticket.id, status: 'ASSIGNED' },
          { token: asAcmeReporter },
        ),
      ),
    );
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual(
      Array(19).fill('CONFLICT'),
    );
    const read = await sg.gql(TICKET, { id: ticket.id });
    expect(read.data.ticket?.status).toBe('ASSIGNED');
    expect(
      await count(`service_policy.audit_log WHERE object_id = $1 AND action = 'ticket.status'`, [
        ticket.id,
      ]),
    ).toBe(1);
  });

  it('lists tickets, and walks from an organization and a SKU to theirs', async () => {
    const sku = await acmeSku();
    const a = await ticketOf({ skuId: sku, region: 'AT' });
    const b = await ticketOf({ skuId: sku, region: 'AT' });
    await sg.gql(
      op('UpdateTicketStatus'),
      { id: b.id, status: 'ASSIGNED' },
      { token: asAcmeReporter },
    );
    const list = await sg.gql(
      op('Tickets'),
      { first: 100, responsibleOrgId: a.responsibleOrg?.id, status: 'OPEN' },
      { token: asAcmeReporter },
    );
    expect(list.errors).toBeUndefined();
    const ids = list.data.tickets.edges.map((e) => e.node.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
    const walk = await sg.gql(
      OWNER_TICKETS,
      { orgId: a.responsibleOrg?.id ?? '', skuId: sku },
      { token: asAcmeReporter },
    );
    expect(walk.errors).toBeUndefined();
    expect(walk.data.organization?.tickets.edges.map((e) => e.node.id)).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    expect(walk.data.sku?.tickets).toEqual({
      totalCount: 1,
      edges: [{ node: { id: a.id, status: 'OPEN' } }],
    });
  });

  it('shows a ticket only to its parties: another organization reads null and cannot move it', async () => {
    const ticket = await ticketOf({ skuId: await acmeSku(), region: 'DE' });
    const read = await sg.gql(TICKET, { id: ticket.id }, { token: asPacific });
    expect(read.errors).toBeUndefined();
    expect(read.data.ticket).toBeNull();
    const move = await sg.gql(
      op('UpdateTicketStatus'),
      { id: ticket.id, status: 'ASSIGNED' },
      { token: asPacific },
    );
    expect(codes(move)).toEqual(['NOT_FOUND']);
    const list = await sg.gql(op('Tickets'), { first: 100 }, { token: asPacific });
    expect(list.data.tickets.edges.map((e) => e.node.id)).not.toContain(ticket.id);
  });
});
