import { REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

export type OrgType = 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
export type RelationshipType = 'DISTRIBUTOR_OF' | 'DEALER_OF' | 'SERVICE_PARTNER_OF';

/** Which organization types may stand at each end of a relationship ("from is <type> of to"). */
export const RELATIONSHIP_ENDS: Record<RelationshipType, { from: OrgType[]; to: OrgType[] }> = {
  DISTRIBUTOR_OF: { from: ['DISTRIBUTOR'], to: ['MANUFACTURER'] },
  DEALER_OF: { from: ['DEALER'], to: ['DISTRIBUTOR', 'MANUFACTURER'] },
  SERVICE_PARTNER_OF: { from: ['SERVICE_PARTNER'], to: ['MANUFACTURER', 'DISTRIBUTOR'] },
};

export const attributesSchema = z.record(z.string(), z.unknown());

export const createOrganizationInput = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  type: z.enum(['MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER']),
  externalRef: z.string().trim().min(1).max(100).nullish(),
  attributes: attributesSchema.nullish(),
  idempotencyKey: z.string().nullish(),
});

export const territoriesSchema = z
  .array(z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"'))
  .nullish()
  .transform((t) => [...new Set(t ?? [])].sort());

export const createRelationshipInput = z
  .object({
    fromOrgId: z.uuid('must be an organization id'),
    toOrgId: z.uuid('must be an organization id'),
    type: z.enum(['DISTRIBUTOR_OF', 'DEALER_OF', 'SERVICE_PARTNER_OF']),
    territories: territoriesSchema,
    validFrom: z.date().nullish(),
    validTo: z.date().nullish(),
    idempotencyKey: z.string().nullish(),
  })
  .refine((i) => i.fromOrgId !== i.toOrgId, {
    path: ['toOrgId'],
    message: 'an organization cannot have a relationship with itself',
  })
  .refine((i) => !i.validFrom || !i.validTo || i.validFrom < i.validTo, {
    path: ['validTo'],
    message: 'validTo must be after validFrom',
  });

export interface RelationshipCandidate {
  type: RelationshipType;
  territories: string[];
  validFrom: Date;
  validTo: Date | null;
}

/** Why a relationship between these two organizations cannot be created, or null. */
export function relationshipProblem(
  from: { type: OrgType },
  to: { type: OrgType },
  candidate: RelationshipCandidate,
  existing: RelationshipCandidate[],
): { field: string; message: string; code: 'BAD_USER_INPUT' | 'CONFLICT' } | null {
  const ends = RELATIONSHIP_ENDS[candidate.type];
  if (!ends.from.includes(from.type)) {
    return {
      field: 'input.fromOrgId',
      code: 'BAD_USER_INPUT',
      message: `a ${from.type} cannot be ${candidate.type} another organization (needs ${ends.from.join(' or ')})`,
    };
  }
  if (!ends.to.includes(to.type)) {
    return {
      field: 'input.toOrgId',
      code: 'BAD_USER_INPUT',
      message: `${candidate.type} must point to a ${ends.to.join(' or ')}, not a ${to.type}`,
    };
  }
  const same = (a: RelationshipCandidate) =>
    a.type === candidate.type &&
    a.validFrom.getTime() === candidate.validFrom.getTime() &&
    (a.validTo?.getTime() ?? null) === (candidate.validTo?.getTime() ?? null) &&
    [...a.territories].sort().join() === candidate.territories.join();
  if (existing.some(same)) {
    return { field: 'input', code: 'CONFLICT', message: 'this exact relationship already exists' };
  }
  return null;
}

/** Whether a dated relationship is in force at `at` (from inclusive, to exclusive). */
export const inForce = (r: { validFrom: Date; validTo: Date | null }, at: Date) =>
  r.validFrom <= at && (r.validTo === null || at < r.validTo);
