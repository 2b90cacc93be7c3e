import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Engineer,
  EngineerMembership,
  EngineerSkill,
  Prisma,
} from '@trellis/prisma/workforce/generated/client.ts';
import type { WorkforcePrisma } from '../prisma.js';

export type EngineerRow = Engineer;
export type SkillRow = EngineerSkill;
export type MembershipRow = EngineerMembership;

/** Keys that are not UUIDs cannot match a row; they are not sent to the database. */
const ids = uuidsOnly;

export function engineerLoaders(prisma: WorkforcePrisma) {
  return {
    engineer: rowLoader<string, EngineerRow>(
      (keys) => prisma.engineer.findMany({ where: { id: { in: ids(keys) } } }),
      (e) => e.id,
    ),
    skillsOf: groupLoader<string, SkillRow>(
      (keys) =>
        prisma.engineerSkill.findMany({
          where: { engineerId: { in: ids(keys) } },
          orderBy: [{ code: 'asc' }],
        }),
      (s) => s.engineerId,
    ),
    membershipsOf: groupLoader<string, MembershipRow>(
      (keys) =>
        prisma.engineerMembership.findMany({
          where: { engineerId: { in: ids(keys) } },
          orderBy: [{ validFrom: 'asc' }, { id: 'asc' }],
        }),
      (m) => m.engineerId,
    ),
  };
}

/** Prisma filter: memberships in `orgId` in force at `at` (from inclusive, to exclusive). */
export const membershipInForceWhere = (
  orgId: string,
  at: Date,
): Prisma.EngineerMembershipWhereInput => ({
  orgId,
  validFrom: { lte: at },
  OR: [{ validTo: null }, { validTo: { gt: at } }],
});

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
