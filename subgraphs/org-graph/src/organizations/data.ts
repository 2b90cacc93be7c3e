import {
  conflict,
  groupLoader,
  notFound,
  type Page,
  pageQuery,
  rowLoader,
  uuidsOnly,
} from '@trellis/kit';
import type {
  Organization,
  OrgCertification,
  OrgRelationship,
  OrgType,
  Prisma,
} from '@trellis/prisma/org-graph/generated/client.ts';
import type { OrgGraphPrisma } from '../prisma.js';

export type OrganizationRow = Organization;
export type RelationshipRow = OrgRelationship;
export type CertificationRow = OrgCertification;

export function organizationLoaders(prisma: OrgGraphPrisma) {
  return {
    organization: rowLoader<string, OrganizationRow>(
      (ids) => prisma.organization.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
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
export async function lockRelationship(tx: Prisma.TransactionClient, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "org_graph"."org_relationship" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return tx.orgRelationship.findUnique({ where: { id } });
}

/** The exclusion constraint behind a relationship's identity (migration 20261127120307). */
const IDENTITY_CONSTRAINT = 'org_relationship_no_overlap';

/** Whether an error (or one it wraps) is a violation of the named constraint. */
function violates(error: unknown, constraint: string): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { message, meta } = e as { message?: unknown; meta?: unknown };
    if (`${message ?? ''}${JSON.stringify(meta ?? null)}`.includes(constraint)) return true;
  }
  return false;
}

/**
 * Runs a relationship write; a concurrent duplicate that the resolver's check could not see
 * (the exclusion constraint's SQLSTATE 23P01, which Prisma reports as a driver error) becomes
 * CONFLICT.
 */
export async function onOverlap<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (violates(error, IDENTITY_CONSTRAINT)) {
      throw conflict(
        'a PROPOSED or ACTIVE relationship of this type between these organizations already covers this period',
        { field: 'input' },
      );
    }
    throw error;
  }
}
