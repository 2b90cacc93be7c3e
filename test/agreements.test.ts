// Agreements and SLA policies through the gateway (issue 12): agreement commands with the
// parties' consent, the status machine and immutable versions; SLA policies in the DSL, refused
// with the JSON path at fault; Ticket.sla computed at read time; the breach scheduler's
// exactly-once notices with two replicas; hostile organizations.
import { createPrisma, emitDueSlaEvents } from '@trellis/agreements';
import { DEMO_SLA_TICKETS, demoId, demoOrgId, demoSlaPolicyId } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  adminToken,
  codes,
  firstErrorExtensions,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';
import { reportLeak } from './support/tickets.js';

let sg: TestSupergraph;
const ACME = demoOrgId('acme');
const KOELN = demoOrgId('koeln-klima');
const BROOKLYN = demoOrgId('brooklyn-appliance');
let asAcme: string;
let asKoeln: string;
let asBrooklyn: string;
let asAdmin: string;

const H = 3_600_000;
const P2_24X7 = {
  conditions: { priorities: ['P2'], issueTypes: ['LEAK'] },
  targets: [
    { metric: 'FIRST_RESPONSE', duration: 'PT4H' },
    { metric: 'RESOLUTION', duration: 'PT24H' },
  ],
  pauseOn: ['AWAITING_CUSTOMER'],
};
const BUSINESS = {
  targets: [{ metric: 'RESOLUTION', duration: 'PT8H' }],
  calendar: {
    timeZone: 'Europe/Berlin',
    weeklyHours: { MON: [{ from: '09:00', to: '17:00' }], TUE: [{ from: '09:00', to: '17:00' }] },
    holidayList: 'DE',
  },
};

const AGREEMENT = graphql(`
  query AgreementVersions($id: ID!) {
    agreement(id: $id) {
      id status version terms acceptedBy { id }
      versions { version status terms slaPolicyIds actor }
    }
  }
`);
const TICKET_SLA = graphql(`
  query TicketSla($id: ID!) {
    ticket(id: $id) {
      id status
      sla {
        policy { id name } policyVersion
        targets { metric target startedAt dueAt warningAt achievedAt breached state pausedMs pauses { from to } counted { from to } }
      }
    }
  }
`);

/** A ticket's SLA, which the test expects to be there. */
function slaOf<S>(data: { ticket: { sla?: S | null } | null }): S {
  const sla = data.ticket?.sla;
  if (!sla) throw new Error('the ticket has no SLA');
  return sla;
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await sg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n);

/** A P2 leak in DE-NW on the demo SKU, reported by Köln Klima: the new ticket's id. */
const newLeak = async () => (await reportLeak(sg, asKoeln)).id;

const createPolicy = (input: Record<string, unknown>, who = asAcme) =>
  sg.gql(
    op('CreateSlaPolicy'),
    { input: { orgId: ACME, name: 'P2 leaks 24/7', position: 1, ...input } as never },
    { token: who },
  );

let p24: string;
let pBusiness: string;
let agreementId: string;

beforeAll(async () => {
  sg = await startTestSupergraph();
  asAcme = await token({
    sub: 'acme-contracts',
    org: ACME,
    scope: 'agreements:write tickets:write',
  });
  asKoeln = await token({
    sub: 'koeln-contracts',
    org: KOELN,
    scope: 'agreements:write tickets:write',
  });
  asBrooklyn = await token({
    sub: 'brooklyn-desk',
    org: BROOKLYN,
    scope: 'agreements:write tickets:write',
  });
  asAdmin = await adminToken();
});
afterAll(() => sg?.close());

describe('createSlaPolicy', () => {
  it('creates a policy, version 1, with its sla_policy.created event', async () => {
    const res = await createPolicy({ definition: P2_24X7 });
    expect(res.errors).toBeUndefined();
    expect(res.data.createSlaPolicy).toMatchObject({
      name: 'P2 leaks 24/7',
      position: 1,
      version: 1,
      definition: P2_24X7,
      org: { id: ACME },
    });
    p24 = res.data.createSlaPolicy.id;
    expect(
      await count(`agreements.sla_policy_version WHERE sla_policy_id = $1 AND version = 1`, [p24]),
    ).toBe(1);
    expect(
      await count(
        `agreements.outbox_event WHERE type = 'sla_policy.created' AND aggregate_id = $1 AND org_id = $2`,
        [p24, ACME],
      ),
    ).toBe(1);
    const second = await createPolicy({
      name: 'Business hours',
      position: 2,
      definition: BUSINESS,
    });
    expect(second.errors).toBeUndefined();
    pBusiness = second.data.createSlaPolicy.id;
  });

  it.each([
    [
      'an unknown metric',
      {
        targets: [
          { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
          { metric: 'UPTIME', duration: 'PT1H' },
        ],
      },
      'input.definition.targets[1].metric',
    ],
    [
      'PT-1H',
      {
        targets: [
          { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
          { metric: 'RESOLUTION', duration: 'PT-1H' },
        ],
      },
      'input.definition.targets[1].duration',
    ],
    [
      'a time zone that does not exist',
      { ...BUSINESS, calendar: { ...BUSINESS.calendar, timeZone: 'Mars/Olympus' } },
      'input.definition.calendar.timeZone',
    ],
    [
      '25:00 working hours',
      {
        ...BUSINESS,
        calendar: { ...BUSINESS.calendar, weeklyHours: { MON: [{ from: '09:00', to: '25:00' }] } },
      },
      'input.definition.calendar.weeklyHours.MON[0].to',
    ],
  ])('refuses %s with the JSON path, writing nothing', async (_, definition, field) => {
    const before = await count('agreements.sla_policy');
    const res = await createPolicy({ definition });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(res)).toMatchObject({ field });
    expect(await count('agreements.sla_policy')).toBe(before);
    expect(await count('agreements.sla_policy_version')).toBe(before);
  });

  it('refuses a policy for another organization', async () => {
    const res = await createPolicy({ definition: P2_24X7 }, asBrooklyn);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('createAgreement / updateAgreement', () => {
  it('creates a DRAFT agreement, version 1, accepted by its creator', async () => {
    const res = await sg.gql(
      op('CreateAgreement'),
      {
        input: {
          type: 'SERVICE',
          partyOrgIds: [ACME, KOELN],
          terms: { regions: ['DE-NW'] },
          slaPolicyIds: [p24, pBusiness],
        },
      },
      { token: asAcme },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createAgreement).toMatchObject({
      type: 'SERVICE',
      status: 'DRAFT',
      version: 1,
      terms: { regions: ['DE-NW'] },
      parties: expect.arrayContaining([{ id: ACME }, { id: KOELN }]),
      slaPolicies: [{ id: p24 }, { id: pBusiness }],
    });
    agreementId = res.data.createAgreement.id;
    expect(
      await count(
        `agreements.outbox_event WHERE type = 'agreement.created' AND aggregate_id = $1`,
        [agreementId],
      ),
    ).toBe(2);
  });

  it('refuses bad terms, too few parties, a stranger’s policy and a writer outside the parties', async () => {
    const before = await count('agreements.agreement');
    const create = (input: Record<string, unknown>, who = asAcme) =>
      sg.gql(
        op('CreateAgreement'),
        { input: { type: 'SERVICE', partyOrgIds: [ACME, KOELN], terms: {}, ...input } as never },
        { token: who },
      );
    const terms = await create({ type: 'WARRANTY', terms: { months: 0, coverage: 'FULL' } });
    expect(firstErrorExtensions(terms)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.terms.months',
    });
    const unknown = await create({ terms: { sla: 'fast' } });
    expect(firstErrorExtensions(unknown)).toMatchObject({ code: 'BAD_USER_INPUT' });
    const one = await create({ partyOrgIds: [ACME] });
    expect(firstErrorExtensions(one)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.partyOrgIds',
    });
    const outsider = await create({}, asBrooklyn);
    expect(codes(outsider)).toEqual(['FORBIDDEN']);
    // Köln may not apply Acme's policy (only its owner applies it)
    const theirs = await create({ slaPolicyIds: [p24] }, asKoeln);
    expect(firstErrorExtensions(theirs)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.slaPolicyIds.0',
    });
    const missing = await create({ partyOrgIds: [ACME, demoId('org', 'nobody')] });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(await count('agreements.agreement')).toBe(before);
  });

  it('a change of terms is a new immutable version; history is queryable', async () => {
    const res = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { terms: { regions: ['DE-NW', 'DE-BY'], notes: 'Bavaria too' } } },
      { token: asAcme },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateAgreement).toMatchObject({
      status: 'DRAFT',
      version: 2,
      terms: { regions: ['DE-NW', 'DE-BY'] },
    });
    const read = await sg.gql(AGREEMENT, { id: agreementId }, { token: asKoeln });
    expect(read.data.agreement?.versions).toEqual([
      {
        version: 1,
        status: 'DRAFT',
        terms: { regions: ['DE-NW'] },
        slaPolicyIds: [p24, pBusiness],
        actor: 'acme-contracts',
      },
      {
        version: 2,
        status: 'DRAFT',
        terms: { regions: ['DE-NW', 'DE-BY'], notes: 'Bavaria too' },
        slaPolicyIds: [p24, pBusiness],
        actor: 'acme-contracts',
      },
    ]);
    // the database refuses to change a version
    await expect(
      sg.db.query(`UPDATE agreements.agreement_version SET terms = '{}' WHERE agreement_id = $1`, [
        agreementId,
      ]),
    ).rejects.toThrow(/immutable/);
    await expect(
      sg.db.query(`UPDATE agreements.agreement SET terms = '{}' WHERE id = $1`, [agreementId]),
    ).rejects.toThrow(/new version/);
  });

  it('becomes ACTIVE when every party accepted; illegal moves are refused', async () => {
    const acme = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { status: 'ACTIVE' } },
      { token: asAcme },
    );
    expect(acme.data.updateAgreement).toMatchObject({ status: 'DRAFT', version: 2 });
    const koeln = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { status: 'ACTIVE' } },
      { token: asKoeln },
    );
    expect(koeln.errors).toBeUndefined();
    expect(koeln.data.updateAgreement).toMatchObject({ status: 'ACTIVE', version: 2 });
    const back = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { status: 'DRAFT' } },
      { token: asKoeln },
    );
    expect(firstErrorExtensions(back)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.status',
      currentStatus: 'ACTIVE',
    });
    const terms = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { terms: { regions: ['AT'] } } },
      { token: asAcme },
    );
    expect(firstErrorExtensions(terms)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.terms',
    });
    expect(
      await count(
        `agreements.outbox_event WHERE type = 'agreement.updated' AND aggregate_id = $1`,
        [agreementId],
      ),
    ).toBe(4); // v2 and Köln's acceptance (Acme's standing acceptance changed nothing)
    await expect(
      sg.db.query(`UPDATE agreements.agreement SET status = 'DRAFT' WHERE id = $1`, [agreementId]),
    ).rejects.toThrow(/cannot move/);
  });

  it('parties only: a stranger neither sees nor changes it', async () => {
    const list = await sg.gql(op('Agreements'), {}, { token: asKoeln });
    expect(list.data.agreements.edges.map((e) => e.node.id)).toContain(agreementId);
    const node = list.data.agreements.edges.find((e) => e.node.id === agreementId)!.node;
    expect(node).toMatchObject({ type: 'SERVICE', status: 'ACTIVE', version: 2 });
    expect(node.parties.map((p) => p.name).sort()).toEqual([
      'Acme Climate Systems',
      'Köln Klima GmbH',
    ]);
    const theirs = await sg.gql(op('Agreements'), {}, { token: asBrooklyn });
    expect(theirs.data.agreements.edges.map((e) => e.node.id)).not.toContain(agreementId);
    expect(
      (await sg.gql(AGREEMENT, { id: agreementId }, { token: asBrooklyn })).data.agreement,
    ).toBeNull();
    const write = await sg.gql(
      op('UpdateAgreement'),
      { id: agreementId, input: { status: 'TERMINATED' } },
      { token: asBrooklyn },
    );
    expect(codes(write)).toEqual(['NOT_FOUND']);
  });
});

describe('the demo seed', () => {
  it('has FrostFix tickets in every SLA state under Acme’s 24/7 P1 policy', async () => {
    const states: Record<string, string[]> = {};
    for (const t of DEMO_SLA_TICKETS) {
      const res = await sg.gql(TICKET_SLA, { id: demoId('ticket', t.key) }, { token: asAcme });
      expect(res.errors).toBeUndefined();
      const sla = slaOf(res.data);
      expect(sla.policy.id).toBe(demoSlaPolicyId('p1-around-the-clock'));
      states[t.key] = sla.targets.map((c) => c.state);
    }
    expect(states).toEqual({
      'sla-running': ['RUNNING', 'RUNNING'],
      'sla-paused': ['MET', 'PAUSED'],
      'sla-met': ['MET', 'MET'],
      'sla-breached': ['BREACHED', 'RUNNING'],
    });
  });
});

describe('Ticket.sla', () => {
  let ticketId: string;
  let createdAt: number;

  it('answers the first matching policy’s clocks, computed from the status history', async () => {
    ticketId = await newLeak();
    const res = await sg.gql(op('Ticket'), { id: ticketId }, { token: asKoeln });
    expect(res.errors).toBeUndefined();
    const sla = slaOf(res.data);
    expect(sla.policy.id).toBe(p24);
    const [first, resolution] = sla.targets;
    createdAt = Date.parse(
      slaOf((await sg.gql(TICKET_SLA, { id: ticketId }, { token: asKoeln })).data).targets[0]!
        .startedAt,
    );
    expect(first).toMatchObject({ metric: 'FIRST_RESPONSE', breached: false, pausedMs: 0 });
    expect(Date.parse(first!.dueAt)).toBe(createdAt + 4 * H);
    expect(Date.parse(resolution!.dueAt)).toBe(createdAt + 24 * H);
  });

  it('stops the first-response clock at the first move out of OPEN and pauses resolution', async () => {
    for (const status of ['ASSIGNED', 'IN_PROGRESS', 'AWAITING_CUSTOMER'] as const) {
      const moved = await sg.gql(
        op('UpdateTicketStatus'),
        { id: ticketId, status },
        { token: asKoeln },
      );
      expect(moved.errors).toBeUndefined();
    }
    const res = await sg.gql(TICKET_SLA, { id: ticketId }, { token: asAcme });
    expect(res.errors).toBeUndefined();
    const [first, resolution] = slaOf(res.data).targets;
    expect(first).toMatchObject({ state: 'MET', breached: false });
    expect(first!.achievedAt).not.toBeNull();
    expect(resolution).toMatchObject({ state: 'PAUSED', breached: false, achievedAt: null });
    expect(resolution!.pauses).toHaveLength(1);
    expect(Date.parse(resolution!.dueAt)).toBeGreaterThan(createdAt + 24 * H);
  });

  it('hides the SLA from an organization that is no party', async () => {
    // Brooklyn cannot even see the ticket; admin sees the same clocks as the parties
    expect(
      (await sg.gql(TICKET_SLA, { id: ticketId }, { token: asBrooklyn })).data.ticket,
    ).toBeNull();
    const admin = await sg.gql(TICKET_SLA, { id: ticketId }, { token: asAdmin });
    expect(slaOf(admin.data).policy.id).toBe(p24);
  });

  it('announces a breach exactly once per ticket and metric with two scheduler replicas', async () => {
    const late = await newLeak();
    const later = new Date(Date.now() + 30 * H);
    const one = createPrisma(sg.db);
    const two = createPrisma(sg.db);
    try {
      const passes = await Promise.all([
        emitDueSlaEvents(one, later),
        emitDueSlaEvents(two, later),
        emitDueSlaEvents(one, later),
      ]);
      const mine = passes.flat().filter((n) => n.ticketId === late);
      expect(mine.map((n) => `${n.metric} ${n.kind}`).sort()).toEqual([
        'FIRST_RESPONSE BREACHED',
        'FIRST_RESPONSE WARNING',
        'RESOLUTION BREACHED',
        'RESOLUTION WARNING',
      ]);
      expect((await emitDueSlaEvents(two, later)).filter((n) => n.ticketId === late)).toEqual([]);
    } finally {
      await one.$disconnect();
      await two.$disconnect();
    }
    // one event per metric for each side (the responsible organization and the manufacturer)
    const events = await sg.db.query<{ type: string; org_id: string; metric: string }>(
      `SELECT type, org_id::text AS org_id, payload->>'metric' AS metric FROM agreements.outbox_event
        WHERE aggregate_id = $1 AND type IN ('sla.breached', 'sla.warning') ORDER BY type, metric, org_id`,
      [late],
    );
    expect(
      events.filter((e) => e.type === 'sla.breached' && e.org_id === KOELN).map((e) => e.metric),
    ).toEqual(['FIRST_RESPONSE', 'RESOLUTION']);
    expect(events).toHaveLength(8);
    // the paused ticket's resolution does not breach while it waits for the customer
    const paused = await sg.db.query<{ kind: string }>(
      `SELECT kind FROM agreements.sla_notice WHERE ticket_id = $1 AND metric = 'RESOLUTION'`,
      [ticketId],
    );
    expect(paused).toEqual([]);
  });
});

describe('updateSlaPolicy', () => {
  const UPDATE = graphql(`
    mutation UpdateSlaPolicyVersioned($id: ID!, $input: UpdateSlaPolicyInput!) {
      updateSlaPolicy(id: $id, input: $input) {
        id name version definition
        versions { version name position definition }
      }
    }
  `);
  const FASTER = {
    ...P2_24X7,
    targets: [
      { metric: 'FIRST_RESPONSE', duration: 'PT2H' },
      { metric: 'RESOLUTION', duration: 'PT12H' },
    ],
  };
  /** The ticket's policy version and its targets' due times, in hours after its start. */
  const dueHours = async (id: string) => {
    const sla = slaOf((await sg.gql(TICKET_SLA, { id }, { token: asKoeln })).data);
    expect(sla.policy.id).toBe(p24);
    return {
      version: sla.policyVersion,
      hours: sla.targets.map((t) => (Date.parse(t.dueAt) - Date.parse(t.startedAt)) / H),
    };
  };
  const written = async () => ({
    versions: await count('agreements.sla_policy_version WHERE sla_policy_id = $1', [p24]),
    events: await count(
      `agreements.outbox_event WHERE type = 'sla_policy.updated' AND aggregate_id = $1`,
      [p24],
    ),
  });
  let before: string;

  it('a change of the definition is version 2 with its history; tickets keep the version they started under', async () => {
    before = await newLeak();
    expect(await dueHours(before)).toEqual({ version: 1, hours: [4, 24] });
    const update = () =>
      sg.gql(
        UPDATE,
        { id: p24, input: { definition: FASTER, name: 'P2 leaks, faster', idempotencyKey: 'v2' } },
        { token: asAcme },
      );
    const res = await update();
    expect(res.errors).toBeUndefined();
    expect(res.data.updateSlaPolicy).toMatchObject({
      name: 'P2 leaks, faster',
      version: 2,
      definition: FASTER,
      versions: [
        { version: 1, name: 'P2 leaks 24/7', position: 1, definition: P2_24X7 },
        { version: 2, name: 'P2 leaks, faster', position: 1, definition: FASTER },
      ],
    });
    // replayed with its idempotency key: the same answer, nothing written again
    const again = await update();
    expect(again.data.updateSlaPolicy.version).toBe(2);
    // no change at all: no new version
    const same = await sg.gql(UPDATE, { id: p24, input: { position: 1 } }, { token: asAcme });
    expect(same.data.updateSlaPolicy.version).toBe(2);
    expect(await written()).toEqual({ versions: 2, events: 1 });
    const audit = await count(
      `agreements.audit_log WHERE action = 'sla_policy.update' AND object_id = $1`,
      [p24],
    );
    expect(audit).toBe(1);

    expect(await dueHours(before)).toEqual({ version: 1, hours: [4, 24] });
    expect(await dueHours(await newLeak())).toEqual({ version: 2, hours: [2, 12] });
    // the database refuses a change without a new version, and a version without its history
    await expect(
      sg.db.query(`UPDATE agreements.sla_policy SET definition = '{}' WHERE id = $1`, [p24]),
    ).rejects.toThrow(/new version/);
    await expect(
      sg.db.query(`UPDATE agreements.sla_policy SET version = 3 WHERE id = $1`, [p24]),
    ).rejects.toThrow(/no history row/);
  });

  it('refuses a hostile organization and a bad definition, writing nothing', async () => {
    const then = await written();
    // Brooklyn does not see the policy; Köln sees it (a party of the agreement) but does not own it
    const stranger = await sg.gql(
      UPDATE,
      { id: p24, input: { definition: P2_24X7 } },
      { token: asBrooklyn },
    );
    expect(codes(stranger)).toEqual(['NOT_FOUND']);
    const party = await sg.gql(
      UPDATE,
      { id: p24, input: { definition: P2_24X7 } },
      { token: asKoeln },
    );
    expect(codes(party)).toEqual(['FORBIDDEN']);
    const bad = await sg.gql(
      UPDATE,
      {
        id: p24,
        input: {
          definition: {
            targets: [
              { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
              { metric: 'RESOLUTION', duration: 'PT-1H' },
            ],
          },
        },
      },
      { token: asAcme },
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(firstErrorExtensions(bad)).toMatchObject({
      field: 'input.definition.targets[1].duration',
    });
    const window = await sg.gql(
      UPDATE,
      { id: p24, input: { validTo: '2000-01-01T00:00:00.000Z' } },
      { token: asAcme },
    );
    expect(firstErrorExtensions(window)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.validTo',
    });
    expect(await written()).toEqual(then);
    expect(await count('agreements.sla_policy WHERE id = $1 AND version = 2', [p24])).toBe(1);
  });
});
