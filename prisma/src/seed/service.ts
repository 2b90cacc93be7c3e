// The demo's service policies and tickets: a policy per demo manufacturer (Acme's requires a
// certification, Borealis's names a default organization) and tickets whose recorded decisions
// show every fallback and the step reasons the demo network can produce (it has no inactive
// organization, so INACTIVE appears only in docs/service-policies.md's examples). The recorded
// provenance is what the engine decides on the demo network: test/service-policy.test.ts
// decides each seeded ticket again through the API and compares.
import { PrismaClient as ServicePolicyClient } from '../../service-policy/generated/client.ts';
import type { Database } from '../database.js';
import { demoId, demoOrgId } from './demo.js';

type Role = 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
type Reason =
  | 'NO_RELATIONSHIP'
  | 'TERRITORY_MISMATCH'
  | 'INACTIVE'
  | 'CERTIFICATION_MISSING'
  | 'SELECTED';

interface DemoPolicy {
  key: string;
  manufacturer: string;
  name: string;
  priority: number;
  chain: Role[];
  regions: string[];
  issueTypes: string[];
  requiredCertification: string | null;
  defaultOrg: string | null;
}

export const DEMO_POLICIES: DemoPolicy[] = [
  {
    key: 'acme-refrigerant',
    manufacturer: 'acme',
    name: 'Refrigerant circuit work: certified dealers first, then distributors',
    priority: 10,
    chain: ['DEALER', 'DISTRIBUTOR'],
    regions: [],
    issueTypes: ['LEAK', 'NO_COOLING'],
    requiredCertification: 'F-GAS',
    defaultOrg: null,
  },
  {
    key: 'borealis-us',
    manufacturer: 'borealis',
    name: 'US appliances: dealers, then EPA-certified distributors, else CoastCare',
    priority: 10,
    chain: ['DEALER', 'DISTRIBUTOR'],
    regions: ['US'],
    issueTypes: [],
    requiredCertification: 'EPA-608',
    defaultOrg: 'coastcare',
  },
];

export interface DemoTicket {
  key: string;
  sku: string;
  region: string;
  issueType: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  reporter: string;
  decision: {
    policy: string | null;
    fallback: 'CHAIN' | 'DEFAULT_ORG' | 'MANUFACTURER' | 'NO_POLICY';
    responsible: string;
    steps: [role: Role, org: string | null, reason: Reason, candidates: number][];
  };
}

export const DEMO_TICKETS: DemoTicket[] = [
  {
    key: 'koeln-leak',
    sku: 'ACM-01-9KW',
    region: 'DE',
    issueType: 'LEAK',
    priority: 'P2',
    reporter: 'koeln-klima',
    decision: {
      policy: 'acme-refrigerant',
      fallback: 'CHAIN',
      responsible: 'koeln-klima',
      steps: [['DEALER', 'koeln-klima', 'SELECTED', 1]],
    },
  },
  {
    key: 'vienna-leak',
    sku: 'ACM-01-9KW',
    region: 'AT',
    issueType: 'LEAK',
    priority: 'P1',
    reporter: 'wien-waerme',
    decision: {
      policy: 'acme-refrigerant',
      fallback: 'CHAIN',
      responsible: 'rheinland',
      steps: [
        ['DEALER', 'koeln-klima', 'TERRITORY_MISMATCH', 1],
        ['DISTRIBUTOR', 'rheinland', 'SELECTED', 3],
      ],
    },
  },
  {
    key: 'paris-no-cooling',
    sku: 'ACM-01-9KW',
    region: 'FR',
    issueType: 'NO_COOLING',
    priority: 'P3',
    reporter: 'acme',
    decision: {
      policy: 'acme-refrigerant',
      fallback: 'MANUFACTURER',
      responsible: 'acme',
      steps: [
        ['DEALER', 'koeln-klima', 'TERRITORY_MISMATCH', 1],
        ['DISTRIBUTOR', 'atlantic', 'TERRITORY_MISMATCH', 3],
      ],
    },
  },
  {
    key: 'berlin-noise',
    sku: 'ACM-01-9KW',
    region: 'DE-BE',
    issueType: 'NOISE',
    priority: 'P4',
    reporter: 'acme',
    decision: { policy: null, fallback: 'NO_POLICY', responsible: 'acme', steps: [] },
  },
  {
    key: 'california-no-cooling',
    sku: 'BOR-01-28',
    region: 'US-CA',
    issueType: 'NO_COOLING',
    priority: 'P2',
    reporter: 'bay-area-home',
    decision: {
      policy: 'borealis-us',
      fallback: 'CHAIN',
      responsible: 'pacific',
      steps: [
        ['DEALER', null, 'NO_RELATIONSHIP', 0],
        ['DISTRIBUTOR', 'pacific', 'SELECTED', 2],
      ],
    },
  },
  {
    key: 'new-york-leak',
    sku: 'BOR-01-28',
    region: 'US-NY',
    issueType: 'LEAK',
    priority: 'P1',
    reporter: 'brooklyn-appliance',
    decision: {
      policy: 'borealis-us',
      fallback: 'DEFAULT_ORG',
      responsible: 'coastcare',
      steps: [
        ['DEALER', null, 'NO_RELATIONSHIP', 0],
        ['DISTRIBUTOR', 'atlantic', 'CERTIFICATION_MISSING', 2],
      ],
    },
  },
];

export const demoPolicyId = (key: string) => demoId('service-policy', key);
export const demoTicketId = (key: string) => demoId('ticket', key);
const skuId = (code: string) => demoId('sku', code);
const productOf = (code: string) => {
  const [maker, line] = code.split('-');
  const manufacturer = maker === 'ACM' ? 'acme' : 'borealis';
  return { manufacturer, productId: demoId('product', `${manufacturer}:${Number(line) - 1}`) };
};

const SINCE = new Date('2025-01-01T00:00:00Z');
const DECIDED = new Date('2026-11-02T09:00:00Z');

/** Adds the demo service policies and tickets once; answers false when they are there. */
export async function seedServicePolicies(db: Database): Promise<boolean> {
  const client = new ServicePolicyClient({ adapter: db.ownerAdapter('service-policy') });
  try {
    const first = demoPolicyId(DEMO_POLICIES[0]!.key);
    if (await client.servicePolicy.findUnique({ where: { id: first } })) return false;
    await client.$transaction(async (tx) => {
      for (const p of DEMO_POLICIES) {
        const definition = {
          name: p.name,
          priority: p.priority,
          enabled: true,
          chain: p.chain,
          conditions: { productIds: [], skuIds: [], regions: p.regions, issueTypes: p.issueTypes },
          requiredCertification: p.requiredCertification,
          defaultOrgId: p.defaultOrg ? demoOrgId(p.defaultOrg) : null,
          validFrom: SINCE,
          validTo: null,
        };
        const id = demoPolicyId(p.key);
        await tx.servicePolicy.create({
          data: { id, manufacturerId: demoOrgId(p.manufacturer), version: 1, ...definition },
        });
        await tx.servicePolicyVersion.create({ data: { policyId: id, version: 1, ...definition } });
      }
      for (const t of DEMO_TICKETS) {
        const { manufacturer, productId } = productOf(t.sku);
        const d = t.decision;
        const policyId = d.policy ? demoPolicyId(d.policy) : null;
        await tx.ticket.create({
          data: {
            id: demoTicketId(t.key),
            skuId: skuId(t.sku),
            productId,
            manufacturerId: demoOrgId(manufacturer),
            region: t.region,
            issueType: t.issueType,
            priority: t.priority,
            reportedByOrgId: demoOrgId(t.reporter),
            responsibleOrgId: demoOrgId(d.responsible),
            policyId,
            policyVersion: policyId ? 1 : null,
            provenance: {
              policyId,
              policyVersion: policyId ? 1 : null,
              fallback: d.fallback,
              decidedAt: DECIDED.toISOString(),
              steps: d.steps.map(([role, org, reason, candidates]) => ({
                role,
                orgId: org ? demoOrgId(org) : null,
                outcome: reason === 'SELECTED' ? 'SELECTED' : 'SKIPPED',
                reason,
                candidates,
              })),
            },
            createdAt: DECIDED,
            updatedAt: DECIDED,
          },
        });
      }
    });
    return true;
  } finally {
    await client.$disconnect();
  }
}
