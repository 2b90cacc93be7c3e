import { type Caller, canReadPii, idOf, isAdmin, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

/** Arguments of `engineers` besides the page. */
export const engineersArgs = z.object({
  orgId: z.guid('must be an organization id').nullish(),
});

/** The PII columns of an engineer (design §4: engineer contact data). */
export interface EngineerPii {
  email: string | null;
  phone: string | null;
  homeLat: number | null;
  homeLng: number | null;
}

/** Whether the caller may read an engineer's PII (`pii:read` for its own people, or admin): the kit's `@pii` rule. */
export { canReadPii };

/**
 * Whose personal data an engineer's is: the organizations of its memberships in force at `at`
 * (a former or future employer's `pii:read` reveals nothing).
 */
export const piiOwnersOf = (
  memberships: readonly { orgId: string; validFrom: Date; validTo: Date | null }[],
  at: Date,
): string[] => memberships.filter((m) => membershipInForce(m, at)).map((m) => m.orgId);

/**
 * The engineer as this caller may see it, PII columns nulled unless `canReadPii` allows it for
 * its `owners` (`piiOwnersOf`): for engineer data that leaves other than through GraphQL fields
 * (those are masked by `@pii` in the SDL).
 */
export function maskPii<T extends EngineerPii>(
  engineer: T,
  caller: Caller,
  owners: readonly string[],
): T {
  if (canReadPii(caller, owners)) return engineer;
  return { ...engineer, email: null, phone: null, homeLat: null, homeLng: null };
}

/** The home location as a point, or null when it is not (fully) recorded. */
export function locationOf(e: Pick<EngineerPii, 'homeLat' | 'homeLng'>) {
  return e.homeLat === null || e.homeLng === null ? null : { lat: e.homeLat, lng: e.homeLng };
}

/** Whether a dated membership is in force at `at` (from inclusive, to exclusive). */
export const membershipInForce = (m: { validFrom: Date; validTo: Date | null }, at: Date) =>
  m.validFrom <= at && (m.validTo === null || at < m.validTo);

/** Coverage radii are capped: eligibility's bounding box stays small enough for its index. */
export const MAX_RADIUS_KM = 500;

export const locationInput = z.object({
  lat: z.number().min(-90, 'lat must be -90 to 90').max(90, 'lat must be -90 to 90'),
  lng: z.number().min(-180, 'lng must be -180 to 180').max(180, 'lng must be -180 to 180'),
});

export const regionsInput = z
  .array(z.string().regex(REGION_CODE, 'must be a region code such as DE or US-CA'))
  .max(100)
  .transform((codes) => [...new Set(codes)]);

export const radiusInput = z
  .number()
  .positive('radiusKm must be positive')
  .max(MAX_RADIUS_KM, `radiusKm is at most ${MAX_RADIUS_KM}`);

export const skillCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'a skill code is upper-case letters, digits, "-" or "_"');
export const skillLevel = z.number().int().min(1, 'level is 1 to 5').max(5, 'level is 1 to 5');

const skillsInput = z
  .array(
    z
      .object({ code: skillCode, level: skillLevel, certifiedUntil: z.date().nullish() })
      .transform((s) => ({
        code: s.code,
        level: s.level,
        certifiedUntil: s.certifiedUntil ?? null,
      })),
  )
  .max(100)
  .refine((skills) => new Set(skills.map((s) => s.code)).size === skills.length, {
    message: 'each skill code once',
  });

export const membershipInput = z
  .object({
    orgId: idOf('an organization'),
    role: z.string().trim().min(1, 'role must not be empty').max(50),
    validFrom: z.date().nullish(),
    validTo: z.date().nullish(),
  })
  .transform((m) => ({
    orgId: m.orgId,
    role: m.role,
    validFrom: m.validFrom ?? null,
    validTo: m.validTo ?? null,
  }));

const idempotencyKey = z.string().nullish();

export const createEngineerInput = z
  .object({
    displayName: z.string().trim().min(1, 'displayName must not be empty').max(200),
    email: z.email('must be an e-mail address').nullish(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()./-]{3,32}$/, 'must be a phone number')
      .nullish(),
    homeLocation: locationInput.nullish(),
    regions: regionsInput.nullish(),
    radiusKm: radiusInput.nullish(),
    skills: skillsInput.nullish(),
    memberships: z.array(membershipInput).max(20).nullish(),
    idempotencyKey,
  })
  .refine((i) => i.radiusKm == null || i.homeLocation != null, {
    message: 'a radius needs a homeLocation (its centre)',
    path: ['radiusKm'],
  });

export const updateSkillsInput = z.object({
  engineerId: idOf('an engineer'),
  skills: skillsInput,
  idempotencyKey,
});

export const updateCoverageInput = z.object({
  engineerId: idOf('an engineer'),
  regions: regionsInput,
  radiusKm: radiusInput.nullish(),
  homeLocation: locationInput.nullish(),
  idempotencyKey,
});

export const addMembershipInput = z.object({
  engineerId: idOf('an engineer'),
  membership: membershipInput,
  idempotencyKey,
});

export const endMembershipInput = z.object({
  membershipId: idOf('a membership'),
  validTo: z.date().nullish(),
  idempotencyKey,
});

/** A membership's dates from its input, `now` standing in for an omitted start. */
export function datedMembership(
  m: z.infer<typeof membershipInput>,
  now: Date,
): { orgId: string; role: string; validFrom: Date; validTo: Date | null } {
  return { ...m, validFrom: m.validFrom ?? now };
}

/** Why these dates cannot make a membership, or null. */
export function periodProblem(p: { validFrom: Date; validTo: Date | null }): string | null {
  return p.validTo !== null && p.validTo <= p.validFrom ? 'validTo must be after validFrom' : null;
}

/** Whether two periods (from inclusive, to exclusive; null: open) overlap. */
export const overlaps = (
  a: { validFrom: Date; validTo: Date | null },
  b: { validFrom: Date; validTo: Date | null },
) =>
  (a.validTo === null || b.validFrom < a.validTo) &&
  (b.validTo === null || a.validFrom < b.validTo);

/**
 * Trust takes two: why this caller may not give an engineer these memberships, or null. Without
 * admin, an organization gives only its own memberships, and a new engineer needs one of them.
 */
export function membershipGrantProblem(
  caller: Caller,
  memberships: readonly { orgId: string }[],
  creating: boolean,
): string | null {
  if (isAdmin(caller)) return null;
  if (caller.orgId === null) return 'only an organization (or admin) writes engineers';
  if (memberships.some((m) => m.orgId !== caller.orgId))
    return 'an organization cannot make someone a member of another organization';
  if (creating && memberships.length === 0)
    return 'a new engineer needs a membership in your organization';
  return null;
}

/**
 * Whether the caller may change an engineer: administrators, or an organization it is a member
 * of at `at`.
 */
export const mayWriteEngineer = (
  caller: Caller,
  memberships: readonly { orgId: string; validFrom: Date; validTo: Date | null }[],
  at: Date,
) =>
  isAdmin(caller) ||
  (caller.orgId !== null &&
    memberships.some((m) => m.orgId === caller.orgId && membershipInForce(m, at)));
