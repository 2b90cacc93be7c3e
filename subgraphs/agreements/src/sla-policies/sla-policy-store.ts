import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Prisma,
  SlaPolicy,
  SlaPolicyVersion,
} from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma } from '../prisma.js';
import type { SlaPolicyListScope } from './rules.js';

export type SlaPolicyRow = SlaPolicy;

export function slaPolicyLoaders(prisma: AgreementsPrisma) {
  return {
    /** each policy's versions, oldest first */
    slaPolicyVersionsOf: groupLoader<string, SlaPolicyVersion>(
      (ids) =>
        prisma.slaPolicyVersion.findMany({
          where: { slaPolicyId: { in: uuidsOnly(ids) } },
          orderBy: [{ slaPolicyId: 'asc' }, { version: 'asc' }],
        }),
      (v) => v.slaPolicyId,
    ),
    slaPolicy: rowLoader<string, SlaPolicyRow>(
      (ids) => prisma.slaPolicy.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (p) => p.id,
    ),
    /** the parties of the agreements that apply each policy (they may see it) */
    slaPolicyPartyOrgIds: groupLoader<string, { slaPolicyId: string; orgId: string }>(
      async (ids) => {
        const links = await prisma.agreementSlaPolicy.findMany({
          where: { slaPolicyId: { in: uuidsOnly(ids) } },
          select: {
            slaPolicyId: true,
            agreement: { select: { parties: { select: { orgId: true } } } },
          },
        });
        return links.flatMap((l) =>
          l.agreement.parties.map((p) => ({ slaPolicyId: l.slaPolicyId, orgId: p.orgId })),
        );
      },
      (p) => p.slaPolicyId,
    ),
  };
}

/** The SQL filter of a list scope. */
export function slaPolicyWhere(scope: SlaPolicyListScope): Prisma.SlaPolicyWhereInput {
  const and: Prisma.SlaPolicyWhereInput[] = [];
  if (scope.ownerOrgId) and.push({ orgId: scope.ownerOrgId });
  if (scope.viewerOrgId) {
    const viewer = scope.viewerOrgId;
    and.push({
      OR: [
        { orgId: viewer },
        { agreements: { some: { agreement: { parties: { some: { orgId: viewer } } } } } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

export async function listSlaPolicies(
  prisma: AgreementsPrisma,
  page: Page,
  scope: SlaPolicyListScope,
) {
  const where = slaPolicyWhere(scope);
  const [rows, total] = await Promise.all([
    prisma.slaPolicy.findMany(pageQuery(page, where)),
    prisma.slaPolicy.count({ where }),
  ]);
  return { rows, total };
}
