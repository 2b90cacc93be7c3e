import { type Caller, isAdmin, REGION_CODE } from '@trellis/kit';
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

/** A certification's code, e.g. "HVAC-L2". */
export const CERTIFICATION_CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

export type RelationshipStatus = 'PROPOSED' | 'ACTIVE' | 'DECLINED' | 'ENDED';

/** The states that hold a relationship's identity: at most one per (from, to, type) and period. */
export const PENDING_OR_ACTIVE: readonly RelationshipStatus[] = ['PROPOSED', 'ACTIVE'];

export interface RelationshipCandidate {
  type: RelationshipType;
  territories: string[];
  validFrom: Date;
  validTo: Date | null;
}

export interface ExistingRelationship extends RelationshipCandidate {
  id: string;
  status: RelationshipStatus;
}

/** Whether two validity windows [from, to) share an instant (an open end runs for ever). */
const overlaps = (
  a: { validFrom: Date; validTo: Date | null },
  b: { validFrom: Date; validTo: Date | null },
) =>
  (a.validTo === null || b.validFrom < a.validTo) &&
  (b.validTo === null || a.validFrom < b.validTo);

/** Why a relationship between these two organizations cannot be created, or null. */
export function relationshipProblem(
  from: { type: OrgType },
  to: { type: OrgType },
  candidate: RelationshipCandidate,
  existing: ExistingRelationship[],
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
  const clash = existing.find(
    (e) =>
      e.type === candidate.type && PENDING_OR_ACTIVE.includes(e.status) && overlaps(e, candidate),
  );
  if (clash) {
    return {
      field: 'input',
      code: 'CONFLICT',
      message: `a ${clash.status} ${candidate.type} relationship between these organizations already covers this period (${clash.id}); end it first or choose another validFrom/validTo`,
    };
  }
  return null;
}

/** Whether a dated relationship is in force at `at` (from inclusive, to exclusive). */
export const inForce = (r: { validFrom: Date; validTo: Date | null }, at: Date) =>
  r.validFrom <= at && (r.validTo === null || at < r.validTo);

/** Who acts: the caller's organization (if any) and whether it is an administrator. */
export interface Actor {
  orgId: string | null;
  admin: boolean;
}

export const actorOf = (caller: Caller): Actor => ({ orgId: caller.orgId, admin: isAdmin(caller) });

export interface TrustedRelationship {
  fromOrgId: string;
  toOrgId: string;
  status: RelationshipStatus;
  proposedByOrgId: string | null;
}

/** The state a relationship starts in: one party proposes, an administrator's word stands alone. */
export const initialRelationship = (actor: Actor) =>
  actor.admin
    ? { status: 'ACTIVE' as const, proposedByOrgId: null }
    : { status: 'PROPOSED' as const, proposedByOrgId: actor.orgId };

const isParty = (r: TrustedRelationship, actor: Actor) =>
  actor.orgId !== null && (r.fromOrgId === actor.orgId || r.toOrgId === actor.orgId);

/** PROPOSED and DECLINED relationships are the two parties' business (and administrators'). */
export const canSeeRelationship = (r: TrustedRelationship, actor: Actor) =>
  r.status === 'ACTIVE' || r.status === 'ENDED' || actor.admin || isParty(r, actor);

export type RelationshipAction = 'accept' | 'decline' | 'end';

const ACTION_FROM: Record<RelationshipAction, RelationshipStatus> = {
  accept: 'PROPOSED',
  decline: 'PROPOSED',
  end: 'ACTIVE',
};
const ACTION_TO: Record<RelationshipAction, RelationshipStatus> = {
  accept: 'ACTIVE',
  decline: 'DECLINED',
  end: 'ENDED',
};

/**
 * Who may take which step from which state: the party that did not propose answers a
 * proposal (accept or decline), either party ends an ACTIVE relationship, an administrator
 * may do all of it. Answers the new status, or why not (NOT_FOUND for a relationship the
 * actor may not even see).
 */
export function relationshipTransition(
  r: TrustedRelationship,
  action: RelationshipAction,
  actor: Actor,
):
  | { ok: true; status: RelationshipStatus }
  | { ok: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; message: string } {
  if (!canSeeRelationship(r, actor)) {
    return { ok: false, code: 'NOT_FOUND', message: 'relationship does not exist' };
  }
  if (!actor.admin && !isParty(r, actor)) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `only the two organizations of a relationship (or an administrator) may ${action} it`,
    };
  }
  if (r.status !== ACTION_FROM[action]) {
    return {
      ok: false,
      code: 'CONFLICT',
      message: `the relationship is ${r.status}; only a ${ACTION_FROM[action]} relationship can be ${action === 'end' ? 'ended' : `${action}ed`}`,
    };
  }
  if (action !== 'end' && !actor.admin && r.proposedByOrgId === actor.orgId) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `your organization proposed this relationship; only the other organization may ${action} it`,
    };
  }
  return { ok: true, status: ACTION_TO[action] };
}

/**
 * When a relationship being ended stops: the requested validTo, never before it starts nor
 * after an end it already has; without one, now (within those bounds).
 */
export function endingAt(
  r: { validFrom: Date; validTo: Date | null },
  requested: Date | null | undefined,
  now: Date,
): { validTo: Date } | { problem: string } {
  if (!requested) {
    const capped = r.validTo && r.validTo < now ? r.validTo : now;
    return { validTo: capped < r.validFrom ? r.validFrom : capped };
  }
  if (requested < r.validFrom) {
    return {
      problem: `validTo must not be before the relationship's validFrom (${r.validFrom.toISOString()})`,
    };
  }
  if (r.validTo && requested > r.validTo) {
    return {
      problem: `validTo must not be after the relationship's current end (${r.validTo.toISOString()})`,
    };
  }
  return { validTo: requested };
}

/**
 * The status a reader sees: an ACTIVE relationship ended with a validTo in the future stays
 * ACTIVE (in force) until then, and reads ENDED afterwards.
 */
export const shownStatus = (
  r: { status: RelationshipStatus; endedAt: Date | null; validTo: Date | null },
  now: Date,
): RelationshipStatus =>
  r.status === 'ACTIVE' && r.endedAt && r.validTo && r.validTo <= now ? 'ENDED' : r.status;
