import { PrismaClient as ServicePolicyClient } from '../../service-policy/generated/client.ts';
import { PrismaClient as WorkforceClient } from '../../workforce/generated/client.ts';
import type { Database } from '../database.js';
import { demoId, demoOrgId } from './demo.js';
import { demoTicketId } from './service.js';

/** The demo id of a seeded engineer (`demoEngineerId(0)` … `demoEngineerId(29)`). */
export const demoEngineerId = (n: number) => demoId('engineer', String(n));

interface Team {
  org: string;
  city: { lat: number; lng: number };
  regions: string[];
  /** radius around home for the team's engineers (km), if they work by distance */
  radiusKm: number | null;
}

/** Ten dealers and service partners, three engineers each. */
const TEAMS: Team[] = [
  { org: 'koeln-klima', city: { lat: 50.9375, lng: 6.9603 }, regions: ['DE-NW'], radiusKm: 40 },
  { org: 'frostfix', city: { lat: 50.1109, lng: 8.6821 }, regions: ['DE'], radiusKm: null },
  { org: 'wien-waerme', city: { lat: 48.2082, lng: 16.3738 }, regions: ['AT'], radiusKm: 60 },
  { org: 'zuerich-luft', city: { lat: 47.3769, lng: 8.5417 }, regions: ['CH'], radiusKm: null },
  { org: 'stockholm-klimat', city: { lat: 59.3293, lng: 18.0686 }, regions: ['SE'], radiusKm: 80 },
  { org: 'london-comfort', city: { lat: 51.5072, lng: -0.1276 }, regions: ['GB'], radiusKm: 30 },
  {
    org: 'brooklyn-appliance',
    city: { lat: 40.6782, lng: -73.9442 },
    regions: ['US-NY'],
    radiusKm: 25,
  },
  {
    org: 'coastcare',
    city: { lat: 40.7128, lng: -74.006 },
    regions: ['US-NY', 'US-NJ'],
    radiusKm: 50,
  },
  {
    org: 'bay-area-home',
    city: { lat: 37.7749, lng: -122.4194 },
    regions: ['US-CA'],
    radiusKm: 60,
  },
  {
    org: 'seattle-kitchens',
    city: { lat: 47.6062, lng: -122.3321 },
    regions: ['US-WA'],
    radiusKm: null,
  },
];

const NAMES = [
  'Anna Becker',
  'Jonas Wolf',
  'Leyla Demir',
  'Felix Braun',
  'Mara Schulz',
  'Tobias Klein',
  'Eva Gruber',
  'Lukas Huber',
  'Sophie Wagner',
  'Nina Meier',
  'Reto Keller',
  'Lea Frei',
  'Erik Lind',
  'Sara Berg',
  'Oskar Holm',
  'Amelia Hughes',
  'Tom Price',
  'Grace Patel',
  'Marcus Reed',
  'Dana Cohen',
  'Luis Ortega',
  'Keisha Brown',
  'Sam Rivera',
  'Priya Shah',
  'Diego Flores',
  'Mei Chen',
  'Noah Kim',
  'Olivia Park',
  'Ethan Ross',
  'Hana Sato',
];

const SKILLS = ['HVAC', 'HEAT_PUMP', 'REFRIGERATION', 'ELECTRICAL', 'GAS'] as const;
const SINCE = new Date('2025-01-01T00:00:00Z');
const VALID = new Date('2028-12-31T00:00:00Z');
/** a few certifications ran out: those engineers are excluded for the skill */
const EXPIRED = new Date('2026-06-30T00:00:00Z');

/**
 * The seeded engineers, deterministic: engineer n of team t has home near the team's city,
 * three skills (levels 1-5), one of every seventh certification expired, and a membership
 * since 2025; the last engineer of every other team left on 2026-09-30 (a former member).
 */
export const DEMO_ENGINEERS = NAMES.map((name, n) => {
  const team = TEAMS[Math.floor(n / 3)]!;
  const i = n % 3;
  return {
    n,
    name,
    org: team.org,
    home: { lat: team.city.lat + (i - 1) * 0.09, lng: team.city.lng + (i - 1) * 0.12 },
    regions: team.regions,
    radiusKm: team.radiusKm,
    skills: [0, 1, 2].map((k) => ({
      code: SKILLS[(n + k * 2) % SKILLS.length]!,
      level: 1 + ((n * 3 + k * 2) % 5),
      certifiedUntil: (n + k) % 7 === 3 ? EXPIRED : VALID,
    })),
    left: i === 2 && Math.floor(n / 3) % 2 === 1 ? new Date('2026-09-30T00:00:00Z') : null,
  };
});

/** Seeds the demo engineers once (idempotent). Answers whether they were new. */
export async function seedEngineers(db: Database): Promise<boolean> {
  const workforce = new WorkforceClient({ adapter: db.ownerAdapter('workforce') });
  try {
    if (await workforce.engineer.findUnique({ where: { id: demoEngineerId(0) } })) return false;
    await workforce.$transaction(async (tx) => {
      await tx.engineer.createMany({
        data: DEMO_ENGINEERS.map((e) => ({
          id: demoEngineerId(e.n),
          displayName: e.name,
          email: `${e.name.toLowerCase().replace(/[^a-z]+/g, '.')}@engineers.example`,
          phone: `+1 555 01${String(e.n).padStart(2, '0')}`,
          homeLat: e.home.lat,
          homeLng: e.home.lng,
          createdAt: SINCE,
          updatedAt: SINCE,
        })),
      });
      await tx.engineerMembership.createMany({
        data: DEMO_ENGINEERS.map((e) => ({
          id: demoId('engineer-membership', String(e.n)),
          engineerId: demoEngineerId(e.n),
          orgId: demoOrgId(e.org),
          role: e.n % 3 === 0 ? 'LEAD' : 'TECHNICIAN',
          validFrom: SINCE,
          validTo: e.left,
        })),
      });
      await tx.engineerCoverage.createMany({
        data: DEMO_ENGINEERS.map((e) => ({
          id: demoId('engineer-coverage', String(e.n)),
          engineerId: demoEngineerId(e.n),
          regions: e.regions,
          radiusKm: e.radiusKm,
          validFrom: SINCE,
        })),
      });
      await tx.engineerSkill.createMany({
        data: DEMO_ENGINEERS.flatMap((e) =>
          e.skills.map((s) => ({
            id: demoId('engineer-skill', `${e.n}:${s.code}`),
            engineerId: demoEngineerId(e.n),
            ...s,
            validFrom: SINCE,
          })),
        ),
      });
    });
    return true;
  } finally {
    await workforce.$disconnect();
  }
}

/**
 * Assignments on the demo tickets: Coastcare's engineer on the New York leak is eligible; Köln
 * Klima's lead on the Köln leak is not (the ticket's region is all of DE, the engineer covers
 * DE-NW only), so it was made as an override with its reason.
 */
export const DEMO_ASSIGNMENTS = [
  { ticket: 'new-york-leak', engineer: 21, org: 'coastcare', overrideReason: null },
  {
    ticket: 'koeln-leak',
    engineer: 0,
    org: 'koeln-klima',
    overrideReason: 'the customer is in Köln, inside Anna Becker’s area; the ticket says only DE',
  },
] as const;

const ASSIGNED = new Date('2026-11-02T10:00:00Z');

/**
 * Seeds the demo assignments once (idempotent) and moves their tickets to ASSIGNED, as
 * assignEngineer does. Answers whether they were new.
 */
export async function seedAssignments(db: Database): Promise<boolean> {
  const workforce = new WorkforceClient({ adapter: db.ownerAdapter('workforce') });
  const service = new ServicePolicyClient({ adapter: db.ownerAdapter('service-policy') });
  try {
    const ids = DEMO_ASSIGNMENTS.map((a) => demoId('engineer-assignment', a.ticket));
    if (await workforce.engineerAssignment.findUnique({ where: { id: ids[0]! } })) return false;
    await workforce.engineerAssignment.createMany({
      data: DEMO_ASSIGNMENTS.map((a, i) => ({
        id: ids[i]!,
        ticketId: demoTicketId(a.ticket),
        orgId: demoOrgId(a.org),
        engineerId: demoEngineerId(a.engineer),
        override: a.overrideReason !== null,
        overrideReason: a.overrideReason,
        assignedAt: ASSIGNED,
        assignedBy: 'demo-seed',
      })),
    });
    await service.ticket.updateMany({
      where: { id: { in: DEMO_ASSIGNMENTS.map((a) => demoTicketId(a.ticket)) }, status: 'OPEN' },
      data: { status: 'ASSIGNED', updatedAt: ASSIGNED },
    });
    return true;
  } finally {
    await workforce.$disconnect();
    await service.$disconnect();
  }
}
