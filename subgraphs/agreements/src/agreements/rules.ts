import { type Caller, idOf, isAdmin } from '@trellis/kit';
import { z } from 'zod';

export type AgreementStatus = 'DRAFT' | 'ACTIVE' | 'EXPIRED' | 'TERMINATED';

export const agreementsArgs = z.object({ orgId: idOf('an organization').nullish() });

/** An agreement is visible to its parties and to admin. */
export function canSeeAgreement(caller: Caller, partyOrgIds: readonly string[]): boolean {
  return isAdmin(caller) || (caller.orgId !== null && partyOrgIds.includes(caller.orgId));
}

/** Which agreements a list shows: those every one of `partyOrgIds` is a party of ([]: all). */
export interface AgreementListScope {
  partyOrgIds: string[];
}

/**
 * The agreements a caller may list, optionally narrowed to those `orgId` is a party of; null
 * when the caller may see none (no organization and not admin). A non-admin asking for another
 * organization sees the agreements both organizations are parties of.
 */
export function agreementListScope(
  caller: Caller,
  orgId?: string | null,
): AgreementListScope | null {
  const wanted = orgId ? [orgId] : [];
  if (isAdmin(caller)) return { partyOrgIds: wanted };
  if (caller.orgId === null) return null;
  return { partyOrgIds: [...new Set([...wanted, caller.orgId])] };
}

/** The status in force at `at`: an ACTIVE agreement is EXPIRED from its validTo on. */
export function effectiveStatus(
  agreement: { status: AgreementStatus; validTo: Date | null },
  at: Date,
): AgreementStatus {
  if (agreement.status === 'ACTIVE' && agreement.validTo !== null && agreement.validTo <= at) {
    return 'EXPIRED';
  }
  return agreement.status;
}
