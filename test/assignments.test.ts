// Engineers and tickets (issue 11, phase 2) through the gateway: a ticket's eligible engineers
// from its own facts, manual assignment checked against them (override with a reason), the
// ticket moved to ASSIGNED through service-policy's state machine, and who sees what.
import { demoEngineerId, demoOrgId, demoTicketId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEngineerInput } from './__generated__/contract.js';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  codes,
  firstErrorExtensions,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';
import { reportLeak } from './support/tickets.js';

let sg: TestSupergraph;
const KOELN = demoOrgId('koeln-klima');
const ACME = demoOrgId('acme');
const BROOKLYN = demoOrgId('brooklyn-appliance');
const KOELN_DOM = { lat: 50.9413, lng: 6.9583 };

let asKoeln: string;
let asAcme: string;
let asBrooklyn: string;
let asKoelnReader: string;

const TICKET = graphql(`
  query TicketAssignments($id: ID!) {
    ticket(id: $id) {
      id status
      eligibleEngineers(first: 10) {
        totalCount
        edges { node { engineer { id } score scoreParts { skill distanceKm workload } } }
      }
      assignments { engineer { id } override overrideReason assignedAt }
    }
  }
`);
const ASSIGNMENTS = graphql(`
  query TicketAssignmentsOnly($id: ID!) {
    ticket(id: $id) { id status assignments { engineer { id } override assignedAt } }
  }
`);

const engineerInput = (over: Partial<CreateEngineerInput> = {}): CreateEngineerInput => ({
  displayName: 'Kim Assign',
  homeLocation: { lat: 50.9375, lng: 6.9603 },
  regions: ['DE-NW'],
  radiusKm: 40,
  skills: [{ code: 'HVAC', level: 4, certifiedUntil: '2035-01-01T00:00:00Z' }],
  memberships: [{ orgId: KOELN, role: 'TECHNICIAN', validFrom: '2026-01-01T00:00:00Z' }],
  ...over,
});

async function engineer(over: Partial<CreateEngineerInput> = {}): Promise<string> {
  const res = await sg.gql(
    op('CreateEngineer'),
    { input: engineerInput(over) },
    { token: asKoeln },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createEngineer.id;
}

/** A leak in Köln: Acme's refrigerant policy makes Köln Klima responsible. */
async function ticket(): Promise<string> {
  const created = await reportLeak(sg, asKoeln, {
    location: KOELN_DOM,
    requiredSkills: [{ code: 'HVAC', level: 3 }],
  });
  expect(created.responsibleOrg?.id).toBe(KOELN);
  return created.id;
}

const assign = (
  ticketId: string,
  engineerId: string,
  who: string,
  overrideReason: string | null = null,
) => sg.gql(op('AssignEngineer'), { ticketId, engineerId, overrideReason }, { token: who });

const count = async (sql: string, params: unknown[]) =>
  Number((await sg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n);

let fit: string;
let junior: string;
let first: string;

beforeAll(async () => {
  sg = await startTestSupergraph();
  const scope = 'workforce:write tickets:write';
  asKoeln = await token({ sub: 'koeln-dispatch', org: KOELN, scope });
  asKoelnReader = await token({ sub: 'koeln-viewer', org: KOELN, scope: 'workforce:write' });
  asAcme = await token({ sub: 'acme-desk', org: ACME, scope });
  asBrooklyn = await token({ sub: 'brooklyn-desk', org: BROOKLYN, scope });
  fit = await engineer({ displayName: 'Fit Engineer' });
  junior = await engineer({
    displayName: 'Junior Engineer',
    skills: [{ code: 'HVAC', level: 2, certifiedUntil: '2035-01-01T00:00:00Z' }],
  });
  first = await ticket();
});
afterAll(() => sg?.close());

describe('Ticket.eligibleEngineers', () => {
  it('ranks the responsible organization’s engineers by the ticket’s own facts', async () => {
    const res = await sg.gql(TICKET, { id: first }, { token: asKoeln });
    expect(res.errors).toBeUndefined();
    const edges = res.data.ticket?.eligibleEngineers.edges ?? [];
    const ids = edges.map((e) => e.node.engineer.id);
    expect(ids).toContain(fit);
    expect(ids).not.toContain(junior); // HVAC 2 < 3
    const mine = edges.find((e) => e.node.engineer.id === fit)!.node;
    expect(mine.scoreParts).toEqual({ skill: 1, distanceKm: 0.45, workload: 0 });
    expect(mine.score).toBe(9.775);
    expect(res.data.ticket?.assignments).toEqual([]);
  });

  it('costs the same SQL statements whatever the number of engineers', async () => {
    const statementsOf = async (id: string) => {
      const before = await sg.statements('workforce');
      const res = await sg.gql(TICKET, { id }, { token: asKoeln });
      expect(res.errors).toBeUndefined();
      return { sent: (await sg.statements('workforce')) - before, res };
    };
    const few = await statementsOf(first);
    // engineers are judged with the facts in force at the ticket's time: a later ticket sees them
    for (let i = 0; i < 3; i++) await engineer({ displayName: `Extra ${i}` });
    const more = await statementsOf(await ticket());
    expect(more.res.data.ticket?.eligibleEngineers.totalCount).toBe(
      (few.res.data.ticket?.eligibleEngineers.totalCount ?? 0) + 3,
    );
    // the ticket's facts, the candidates (one statement), its assignments
    expect(more.sent).toBe(few.sent);
    expect(few.sent).toBeLessThanOrEqual(3);
  });

  it('gives no candidates to an organization that sees the ticket but does not dispatch it', async () => {
    const res = await sg.gql(TICKET, { id: first }, { token: asAcme });
    expect(res.errors).toBeUndefined();
    expect(res.data.ticket?.status).toBe('OPEN');
    expect(res.data.ticket?.eligibleEngineers).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('assignEngineer', () => {
  it('refuses an ineligible engineer without a reason, naming the failed rules, and writes nothing', async () => {
    const res = await assign(first, junior, asKoeln);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(res)).toMatchObject({
      field: 'engineerId',
      reasons: ['SKILL_LEVEL_TOO_LOW'],
    });
    expect(await count('workforce.engineer_assignment WHERE ticket_id = $1', [first])).toBe(0);
    expect(await count(`service_policy.ticket WHERE id = $1 AND status = 'OPEN'`, [first])).toBe(1);
  });

  it('assigns an eligible engineer: ticket ASSIGNED, audit rows and events in one transaction', async () => {
    const res = await assign(first, fit, asKoeln);
    expect(res.errors).toBeUndefined();
    expect(res.data.assignEngineer).toMatchObject({
      override: false,
      ticket: { id: first, status: 'ASSIGNED' },
      engineer: { id: fit },
    });
    const id = res.data.assignEngineer.id;
    const [audit] = await sg.db.query<{ action: string; after: Record<string, unknown> }>(
      `SELECT action, after FROM workforce.audit_log WHERE object_id = $1`,
      [id],
    );
    expect(audit).toMatchObject({
      action: 'engineer.assign',
      after: { ticketId: first, engineerId: fit, override: false, ticketStatusBefore: 'OPEN' },
    });
    expect(
      await count(
        `service_policy.audit_log WHERE object_id = $1 AND action = 'ticket.status' AND after->>'status' = 'ASSIGNED'`,
        [first],
      ),
    ).toBe(1);
    const events = await sg.db.query<{
      type: string;
      org_id: string;
      payload: Record<string, unknown>;
    }>(
      `SELECT type, org_id::text, payload FROM agreements.outbox_event
        WHERE aggregate_id = $1 AND type IN ('engineer.assigned', 'ticket.status_changed') ORDER BY type, org_id`,
      [first],
    );
    expect(events.filter((e) => e.type === 'engineer.assigned')).toEqual([
      {
        type: 'engineer.assigned',
        org_id: KOELN,
        payload: {
          ticketId: first,
          engineerId: fit,
          assignmentId: id,
          override: false,
          reasons: [],
        },
      },
    ]);
    // one per party, as updateTicketStatus emits: Köln (reporter and responsible) and Acme
    expect(
      events.filter((e) => e.type === 'ticket.status_changed').map((e) => [e.org_id, e.payload]),
    ).toEqual(
      [KOELN, ACME].sort().map((org) => [org, { ticketId: first, from: 'OPEN', to: 'ASSIGNED' }]),
    );
  });

  it('refuses the same engineer twice (CONFLICT)', async () => {
    const res = await assign(first, fit, asKoeln);
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(await count('workforce.engineer_assignment WHERE ticket_id = $1', [first])).toBe(1);
  });

  it('assigns an ineligible engineer with a reason as an audited override; the ticket stays ASSIGNED', async () => {
    const reason = 'only engineer on site; supervised by a senior';
    const res = await assign(first, junior, asKoeln, reason);
    expect(res.errors).toBeUndefined();
    expect(res.data.assignEngineer).toMatchObject({
      override: true,
      ticket: { status: 'ASSIGNED' },
      engineer: { id: junior },
    });
    const [audit] = await sg.db.query<{ action: string; after: Record<string, unknown> }>(
      `SELECT action, after FROM workforce.audit_log WHERE object_id = $1`,
      [res.data.assignEngineer.id],
    );
    expect(audit).toMatchObject({
      action: 'engineer.assign_override',
      after: {
        override: true,
        overrideReason: reason,
        exclusions: [expect.objectContaining({ reason: 'SKILL_LEVEL_TOO_LOW' })],
      },
    });
    // no second status change for a ticket already ASSIGNED
    expect(
      await count(
        `agreements.outbox_event WHERE aggregate_id = $1 AND type = 'ticket.status_changed'`,
        [first],
      ),
    ).toBe(2);
    const seen = await sg.gql(TICKET, { id: first }, { token: asKoeln });
    expect(seen.data.ticket?.assignments).toEqual([
      {
        engineer: { id: fit },
        override: false,
        overrideReason: null,
        assignedAt: expect.any(String),
      },
      {
        engineer: { id: junior },
        override: true,
        overrideReason: reason,
        assignedAt: expect.any(String),
      },
    ]);
  });

  it('counts open assignments as workload, and stops counting when the ticket is resolved', async () => {
    const second = await ticket();
    const workloadOf = async () => {
      const res = await sg.gql(TICKET, { id: second }, { token: asKoeln });
      return res.data.ticket?.eligibleEngineers.edges.find((e) => e.node.engineer.id === fit)?.node
        .scoreParts.workload;
    };
    expect(await workloadOf()).toBe(1);
    for (const status of ['IN_PROGRESS', 'RESOLVED'] as const) {
      const moved = await sg.gql(
        op('UpdateTicketStatus'),
        { id: first, status },
        { token: asKoeln },
      );
      expect(moved.errors).toBeUndefined();
    }
    expect(await workloadOf()).toBe(0);
    // a RESOLVED ticket cannot move to ASSIGNED
    const late = await assign(first, fit, asKoeln, 'again');
    expect(codes(late)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(late)).toMatchObject({
      field: 'ticketId',
      currentStatus: 'RESOLVED',
    });
  });

  it('serializes concurrent assignments of two engineers: both join, the ticket changes status once', async () => {
    const one = await engineer({ displayName: 'Concurrent one' });
    const two = await engineer({ displayName: 'Concurrent two' });
    const t = await ticket();
    const results = await Promise.all([assign(t, one, asKoeln), assign(t, two, asKoeln)]);
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(await count('workforce.engineer_assignment WHERE ticket_id = $1', [t])).toBe(2);
    // OPEN → ASSIGNED once: one event per party (Köln, Acme), not two
    expect(
      await count(
        `agreements.outbox_event WHERE aggregate_id = $1 AND type = 'ticket.status_changed'`,
        [t],
      ),
    ).toBe(2);
  });

  it('lets concurrent assignments of one engineer to one ticket not both win', async () => {
    const e = await engineer({ displayName: 'Raced' });
    const t = await ticket();
    const results = await Promise.all([assign(t, e, asKoeln), assign(t, e, asKoeln)]);
    expect(results.map((r) => (r.errors ? codes(r)[0] : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    expect(await count('workforce.engineer_assignment WHERE ticket_id = $1', [t])).toBe(1);
    expect(
      await count(
        `agreements.outbox_event WHERE aggregate_id = $1 AND type = 'ticket.status_changed'`,
        [t],
      ),
    ).toBe(2);
  });
});

describe('hostile organizations', () => {
  it('another organization cannot assign: NOT_FOUND when it cannot see the ticket, FORBIDDEN when it sees but is not responsible', async () => {
    const t = await ticket();
    const notSeen = await assign(t, fit, asBrooklyn);
    expect(codes(notSeen)).toEqual(['NOT_FOUND']);
    expect(firstErrorExtensions(notSeen)).toMatchObject({ field: 'ticketId' });
    const notResponsible = await assign(t, fit, asAcme, 'we are the manufacturer');
    expect(codes(notResponsible)).toEqual(['FORBIDDEN']);
    const noScope = await assign(t, fit, asKoelnReader);
    expect(codes(noScope)).toEqual(['FORBIDDEN']);
    expect(await count('workforce.engineer_assignment WHERE ticket_id = $1', [t])).toBe(0);
    expect(await count(`service_policy.ticket WHERE id = $1 AND status = 'OPEN'`, [t])).toBe(1);
  });

  it('shows assignments to whoever sees the ticket, and to no one else', async () => {
    const asManufacturer = await sg.gql(ASSIGNMENTS, { id: first }, { token: asAcme });
    expect(asManufacturer.errors).toBeUndefined();
    // the assignments, not Köln's engineers: those stay visible to their organization only
    expect(asManufacturer.data.ticket?.assignments).toEqual([
      { engineer: null, override: false, assignedAt: expect.any(String) },
      { engineer: null, override: true, assignedAt: expect.any(String) },
    ]);
    const stranger = await sg.gql(ASSIGNMENTS, { id: first }, { token: asBrooklyn });
    expect(stranger.data.ticket).toBeNull();
  });

  it('cannot assign an engineer of another organization (NOT_FOUND: invisible to the caller)', async () => {
    const t = await ticket();
    const brooklynEngineer = await sg.gql(
      op('CreateEngineer'),
      {
        input: engineerInput({
          displayName: 'Brooklyn tech',
          memberships: [{ orgId: BROOKLYN, role: 'TECHNICIAN', validFrom: '2026-01-01T00:00:00Z' }],
        }),
      },
      { token: asBrooklyn },
    );
    expect(brooklynEngineer.errors).toBeUndefined();
    const res = await assign(t, brooklynEngineer.data.createEngineer.id, asKoeln, 'borrowing');
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(firstErrorExtensions(res)).toMatchObject({ field: 'engineerId' });
  });
});

describe('demo seed', () => {
  it('has an eligible assignment and an override on the demo tickets', async () => {
    const coastcare = await token({
      sub: 'coastcare-desk',
      org: demoOrgId('coastcare'),
      scope: '',
    });
    const ny = await sg.gql(TICKET, { id: demoTicketId('new-york-leak') }, { token: coastcare });
    expect(ny.errors).toBeUndefined();
    expect(ny.data.ticket).toMatchObject({
      status: 'ASSIGNED',
      assignments: [
        { engineer: { id: demoEngineerId(21) }, override: false, overrideReason: null },
      ],
    });
    const assigned = ny.data.ticket?.eligibleEngineers.edges.find(
      (e) => e.node.engineer.id === demoEngineerId(21),
    );
    expect(assigned?.node.scoreParts.workload).toBe(1);
    const koeln = await sg.gql(TICKET, { id: demoTicketId('koeln-leak') }, { token: asKoeln });
    expect(koeln.data.ticket).toMatchObject({
      status: 'ASSIGNED',
      assignments: [{ engineer: { id: demoEngineerId(0) }, override: true }],
    });
    // the override's engineer covers DE-NW only: not eligible for a ticket in all of DE
    const ids = koeln.data.ticket?.eligibleEngineers.edges.map((e) => e.node.engineer.id);
    expect(ids).not.toContain(demoEngineerId(0));
  });
});
