// The demo's agreements and SLA clocks (docs/sla-dsl.md): Acme's service agreement with its
// service partner FrostFix, applying a 24/7 P1 policy and a German business-hours policy
// (Europe/Berlin, public holidays), and FrostFix tickets in every SLA state. The tickets' times
// are relative to the seeding, so a fresh demo shows RUNNING, PAUSED, MET and BREACHED clocks
// (time moves on: a RUNNING one breaches an hour later, as it should).
import { PrismaClient as AgreementsClient } from '../../agreements/generated/client.ts';
import { PrismaClient as ServicePolicyClient } from '../../service-policy/generated/client.ts';
import type { Database } from '../database.js';
import { demoId, demoOrgId } from './demo.js';

const week = (hours: { from: string; to: string }[]) => ({
  MON: hours,
  TUE: hours,
  WED: hours,
  THU: hours,
  FRI: hours,
});

export const DEMO_SLA_POLICIES = [
  {
    key: 'p1-around-the-clock',
    name: 'P1 around the clock',
    position: 1,
    definition: {
      conditions: { priorities: ['P1'] },
      targets: [
        { metric: 'FIRST_RESPONSE', duration: 'PT1H' },
        { metric: 'RESOLUTION', duration: 'PT8H' },
      ],
      pauseOn: ['AWAITING_CUSTOMER'],
    },
  },
  {
    key: 'germany-business-hours',
    name: 'Germany, business hours',
    position: 2,
    definition: {
      targets: [
        { metric: 'FIRST_RESPONSE', duration: 'PT4H' },
        { metric: 'RESOLUTION', duration: 'PT16H' },
      ],
      calendar: {
        timeZone: 'Europe/Berlin',
        weeklyHours: week([
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '18:00' },
        ]),
        holidays: ['2026-12-24', '2026-12-31'],
        holidayList: 'DE',
      },
      pauseOn: ['AWAITING_CUSTOMER'],
      resets: [{ metric: 'RESOLUTION', from: 'RESOLVED', to: 'IN_PROGRESS' }],
    },
  },
] as const;

const MIN = 60_000;
/** Tickets in every SLA state under the P1 policy: [status, minutes before the seeding] oldest first. */
export const DEMO_SLA_TICKETS = [
  { key: 'sla-running', priority: 'P1', history: [['OPEN', 10]] },
  {
    key: 'sla-paused',
    priority: 'P1',
    history: [
      ['OPEN', 60],
      ['ASSIGNED', 40],
      ['IN_PROGRESS', 35],
      ['AWAITING_CUSTOMER', 30],
    ],
  },
  {
    key: 'sla-met',
    priority: 'P1',
    history: [
      ['OPEN', 180],
      ['ASSIGNED', 150],
      ['IN_PROGRESS', 140],
      ['RESOLVED', 60],
    ],
  },
  { key: 'sla-breached', priority: 'P1', history: [['OPEN', 300]] },
] as const;

export const demoSlaPolicyId = (key: string) => demoId('sla-policy', key);
export const DEMO_SERVICE_AGREEMENT_ID = demoId('agreement', 'acme-frostfix-service');

/** Adds the demo agreement, SLA policies and SLA tickets once; answers false when they are there. */
export async function seedSla(db: Database, now = new Date()): Promise<boolean> {
  const agreements = new AgreementsClient({ adapter: db.ownerAdapter('agreements') });
  const tickets = new ServicePolicyClient({ adapter: db.ownerAdapter('service-policy') });
  try {
    if (await agreements.agreement.findUnique({ where: { id: DEMO_SERVICE_AGREEMENT_ID } }))
      return false;
    const acme = demoOrgId('acme');
    const frostfix = demoOrgId('frostfix');
    const since = new Date('2025-01-01T00:00:00Z');
    await agreements.$transaction(async (tx) => {
      for (const p of DEMO_SLA_POLICIES) {
        const data = {
          name: p.name,
          position: p.position,
          validFrom: since,
          definition: p.definition as object,
        };
        await tx.slaPolicy.create({ data: { id: demoSlaPolicyId(p.key), orgId: acme, ...data } });
        await tx.slaPolicyVersion.create({
          data: { slaPolicyId: demoSlaPolicyId(p.key), version: 1, ...data, actor: 'demo-seed' },
        });
      }
      const terms = { regions: ['DE'], notes: 'FrostFix services Acme units in Germany.' };
      const slaPolicyIds = DEMO_SLA_POLICIES.map((p) => demoSlaPolicyId(p.key));
      await tx.agreement.create({
        data: {
          id: DEMO_SERVICE_AGREEMENT_ID,
          type: 'SERVICE',
          status: 'ACTIVE',
          validFrom: since,
          terms,
          createdByOrgId: acme,
          parties: {
            create: [acme, frostfix].map((orgId) => ({ orgId, acceptedAt: since })),
          },
          versions: {
            create: {
              version: 1,
              status: 'DRAFT',
              validFrom: since,
              terms,
              slaPolicyIds,
              actor: 'demo-seed',
            },
          },
          slaPolicies: { create: slaPolicyIds.map((slaPolicyId) => ({ slaPolicyId })) },
        },
      });
    });
    // each status change at its own time: the history trigger records the ticket's updated_at
    for (const t of DEMO_SLA_TICKETS) {
      const at = (minutes: number) => new Date(now.getTime() - minutes * MIN);
      const [[, openedBefore], ...changes] = t.history;
      const id = demoId('ticket', t.key);
      await tickets.ticket.create({
        data: {
          id,
          skuId: demoId('sku', 'ACM-01-9KW'),
          productId: demoId('product', 'acme:0'),
          manufacturerId: acme,
          region: 'DE-NW',
          issueType: 'NO_COOLING',
          priority: t.priority,
          reportedByOrgId: frostfix,
          responsibleOrgId: frostfix,
          createdAt: at(openedBefore),
          updatedAt: at(openedBefore),
        },
      });
      for (const [status, before] of changes)
        await tickets.ticket.update({ where: { id }, data: { status, updatedAt: at(before) } });
    }
    return true;
  } finally {
    await agreements.$disconnect();
    await tickets.$disconnect();
  }
}
