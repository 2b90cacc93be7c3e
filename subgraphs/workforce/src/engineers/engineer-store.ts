import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Engineer,
  EngineerCoverage,
  EngineerMembership,
  EngineerSkill,
  Prisma,
} from '@trellis/prisma/workforce/generated/client.ts';
import type { WorkforcePrisma, WorkforceTx } from '../prisma.js';

export type EngineerRow = Engineer;
export type SkillRow = EngineerSkill;
export type CoverageRow = EngineerCoverage;
export type MembershipRow = EngineerMembership;

/** Keys that are not UUIDs cannot match a row; they are not sent to the database. */
const ids = uuidsOnly;

/** Prisma filter: dated rows in force at `at` (from inclusive, to exclusive). */
const inForceAt = (at: Date) => ({
  validFrom: { lte: at },
  OR: [{ validTo: null }, { validTo: { gt: at } }],
});

/** Loaders of engineers and their dated rows; row-level security shows only visible engineers. */
export function engineerLoaders(prisma: WorkforcePrisma) {
  return {
    engineer: rowLoader<string, EngineerRow>(
      (keys) => prisma.engineer.findMany({ where: { id: { in: ids(keys) } } }),
      (e) => e.id,
    ),
    /** the skills in force now */
    skillsOf: groupLoader<string, SkillRow>(
      (keys) =>
        prisma.engineerSkill.findMany({
          where: { engineerId: { in: ids(keys) }, ...inForceAt(new Date()) },
          orderBy: [{ code: 'asc' }],
        }),
      (s) => s.engineerId,
    ),
    skillHistoryOf: groupLoader<string, SkillRow>(
      (keys) =>
        prisma.engineerSkill.findMany({
          where: { engineerId: { in: ids(keys) } },
          orderBy: [{ code: 'asc' }, { validFrom: 'asc' }, { id: 'asc' }],
        }),
      (s) => s.engineerId,
    ),
    /** the coverage in force now (at most one) */
    coverageOf: rowLoader<string, CoverageRow>(
      (keys) =>
        prisma.engineerCoverage.findMany({
          where: { engineerId: { in: ids(keys) }, ...inForceAt(new Date()) },
        }),
      (c) => c.engineerId,
    ),
    coverageHistoryOf: groupLoader<string, CoverageRow>(
      (keys) =>
        prisma.engineerCoverage.findMany({
          where: { engineerId: { in: ids(keys) } },
          orderBy: [{ validFrom: 'asc' }, { id: 'asc' }],
        }),
      (c) => c.engineerId,
    ),
    membershipsOf: groupLoader<string, MembershipRow>(
      (keys) =>
        prisma.engineerMembership.findMany({
          where: { engineerId: { in: ids(keys) } },
          orderBy: [{ validFrom: 'asc' }, { id: 'asc' }],
        }),
      (m) => m.engineerId,
    ),
    membership: rowLoader<string, MembershipRow>(
      (keys) => prisma.engineerMembership.findMany({ where: { id: { in: ids(keys) } } }),
      (m) => m.id,
    ),
  };
}

/** Prisma filter: memberships in `orgId` in force at `at` (from inclusive, to exclusive). */
export const membershipInForceWhere = (
  orgId: string,
  at: Date,
): Prisma.EngineerMembershipWhereInput => ({ orgId, ...inForceAt(at) });

/** A page of engineers (one statement) and the total (one statement). */
export async function listEngineers(
  prisma: WorkforcePrisma,
  page: Page,
  filter: { orgId?: string | null; at: Date },
) {
  const where: Prisma.EngineerWhereInput = filter.orgId
    ? { memberships: { some: membershipInForceWhere(filter.orgId, filter.at) } }
    : {};
  const [rows, total] = await Promise.all([
    prisma.engineer.findMany(pageQuery(page, where)),
    prisma.engineer.count({ where }),
  ]);
  return { rows, total };
}

export interface SkillFacts {
  code: string;
  level: number;
  certifiedUntil: Date | null;
}

export interface MembershipFacts {
  orgId: string;
  role: string;
  validFrom: Date;
  validTo: Date | null;
}

/** A new engineer with its first coverage, skills and memberships, all in force from `at`. */
export async function insertEngineer(
  tx: WorkforceTx,
  engineer: {
    displayName: string;
    email: string | null;
    phone: string | null;
    home: { lat: number; lng: number } | null;
    createdByOrgId: string | null;
  },
  facts: {
    regions: string[];
    radiusKm: number | null;
    skills: SkillFacts[];
    memberships: MembershipFacts[];
  },
  at: Date,
) {
  const row = await tx.engineer.create({
    data: {
      displayName: engineer.displayName,
      email: engineer.email,
      phone: engineer.phone,
      homeLat: engineer.home?.lat ?? null,
      homeLng: engineer.home?.lng ?? null,
      createdByOrgId: engineer.createdByOrgId,
    },
  });
  // memberships first: they make the engineer visible to their organizations for the rows after
  await tx.engineerMembership.createMany({
    data: facts.memberships.map((m) => ({ engineerId: row.id, ...m })),
  });
  await tx.engineerCoverage.create({
    data: { engineerId: row.id, regions: facts.regions, radiusKm: facts.radiusKm, validFrom: at },
  });
  await tx.engineerSkill.createMany({
    data: facts.skills.map((s) => ({ engineerId: row.id, ...s, validFrom: at })),
  });
  return row;
}

/**
 * Replaces the skills in force with `skills` from `at`: a changed or dropped skill's row is
 * closed (valid_to), a changed or new one opens a row; unchanged rows stay as they are.
 */
export async function replaceSkills(
  tx: WorkforceTx,
  engineerId: string,
  skills: SkillFacts[],
  at: Date,
) {
  const open = await tx.engineerSkill.findMany({ where: { engineerId, validTo: null } });
  const same = (a: SkillFacts, b: SkillFacts) =>
    a.code === b.code &&
    a.level === b.level &&
    (a.certifiedUntil?.getTime() ?? null) === (b.certifiedUntil?.getTime() ?? null);
  const closing = open.filter((row) => !skills.some((s) => same(row, s)));
  const opening = skills.filter((s) => !open.some((row) => same(row, s)));
  if (closing.length)
    await tx.engineerSkill.updateMany({
      where: { id: { in: closing.map((r) => r.id) }, validTo: null },
      data: { validTo: at },
    });
  await tx.engineerSkill.createMany({
    data: opening.map((s) => ({ engineerId, ...s, validFrom: at })),
  });
  return { closed: closing, opened: opening };
}

/** Closes the coverage in force and opens `coverage` from `at`. */
export async function replaceCoverage(
  tx: WorkforceTx,
  engineerId: string,
  coverage: { regions: string[]; radiusKm: number | null },
  at: Date,
) {
  const open = await tx.engineerCoverage.findMany({ where: { engineerId, validTo: null } });
  await tx.engineerCoverage.updateMany({
    where: { engineerId, validTo: null },
    data: { validTo: at },
  });
  await tx.engineerCoverage.create({ data: { engineerId, ...coverage, validFrom: at } });
  return { closed: open };
}

/** Moves the engineer's home (the centre of its radius). */
export const moveHome = (tx: WorkforceTx, engineerId: string, home: { lat: number; lng: number }) =>
  tx.engineer.update({ where: { id: engineerId }, data: { homeLat: home.lat, homeLng: home.lng } });

export const insertMembership = (tx: WorkforceTx, engineerId: string, m: MembershipFacts) =>
  tx.engineerMembership.create({ data: { engineerId, ...m } });

export const endMembership = (tx: WorkforceTx, membershipId: string, validTo: Date) =>
  tx.engineerMembership.update({ where: { id: membershipId }, data: { validTo } });

/** The engineer as written: re-read in the transaction (its rows changed). */
export const engineerIn = (tx: WorkforceTx, id: string) =>
  tx.engineer.findUniqueOrThrow({ where: { id } });
