import { groupLoader, notFound, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Organization,
  OrgCertification,
  OrgRelationship,
  OrgType,
} from '@trellis/prisma/org-graph/generated/client.ts';
import type { OrgGraphPrisma, OrgGraphTx } from '../prisma.js';

export type OrganizationRow = Organization;
export type RelationshipRow = OrgRelationship;
export type CertificationRow = OrgCertification;

/** An organization's row as Prisma reads it (a test compares the two). */
export const ORGANIZATION_COLUMNS = `id::text AS id, name, type::text AS type, status::text AS status,
  external_ref AS "externalRef", attributes, created_at AS "createdAt", updated_at AS "updatedAt"`;

export function organizationLoaders(prisma: OrgGraphPrisma) {
  return {
    organization: rowLoader<string, OrganizationRow>(
      (ids) =>
        prisma.$read<OrganizationRow>(
          `SELECT ${ORGANIZATION_COLUMNS} FROM "org_graph"."organization" WHERE id = ANY($1::uuid[])`,
          uuidsOnly(ids),
        ),
      (o) => o.id,
    ),
    certifications: groupLoader<string, CertificationRow>(
      (ids) =>
        prisma.orgCertification.findMany({
          where: { orgId: { in: uuidsOnly(ids) } },
          orderBy: { code: 'asc' },
        }),
      (c) => c.orgId,
    ),
    relationship: rowLoader<string, RelationshipRow>(
      (ids) => prisma.orgRelationship.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (r) => r.id,
    ),
    /** every relationship an organization is either end of; filtered by direction later */
    relationshipsOf: groupLoader<string, RelationshipRow & { end: string }>(
      async (ids) => {
        const rows = await prisma.orgRelationship.findMany({
          where: {
            OR: [{ fromOrgId: { in: uuidsOnly(ids) } }, { toOrgId: { in: uuidsOnly(ids) } }],
          },
          orderBy: { id: 'asc' },
        });
        const wanted = new Set(ids);
        return rows.flatMap((r) =>
          [r.fromOrgId, r.toOrgId].filter((end) => wanted.has(end)).map((end) => ({ ...r, end })),
        );
      },
      (r) => r.end,
    ),
  };
}

export async function listOrganizations(prisma: OrgGraphPrisma, page: Page, type?: OrgType | null) {
  const where = type ? { type } : {};
  const [rows, total] = await Promise.all([
    prisma.organization.findMany(pageQuery(page, where)),
    prisma.organization.count({ where }),
  ]);
  return { rows, total };
}

/** The organization, or NOT_FOUND naming the argument that pointed at it. */
export async function organizationOrFail(
  loaders: Pick<ReturnType<typeof organizationLoaders>, 'organization'>,
  id: string,
  field: string,
) {
  const org = await loaders.organization.load(id);
  if (!org) throw notFound('organization', id, field);
  return org;
}

/** The relationship, locked for the rest of the transaction; null when there is none. */
export async function lockRelationship(tx: OrgGraphTx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "org_graph"."org_relationship" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return tx.orgRelationship.findUnique({ where: { id } });
}
