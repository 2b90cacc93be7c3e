import { type Caller, canReadPii } from '@trellis/kit';
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
