import { idOf } from '@trellis/kit';
import { z } from 'zod';
import type { Exclusion } from '../eligibility/rules.js';

export const assignEngineerArgs = z.object({
  ticketId: idOf('a ticket'),
  engineerId: idOf('an engineer'),
  overrideReason: z
    .string()
    .trim()
    .min(1, 'must say why, or be left out')
    .max(1000, 'at most 1000 characters')
    .nullish(),
  idempotencyKey: z.string().nullish(),
});

/**
 * The statuses a ticket may be assigned in: OPEN moves to ASSIGNED (the state machine's only
 * step there), ASSIGNED takes another engineer and stays. Anything later refuses.
 */
export const ASSIGNABLE = ['OPEN', 'ASSIGNED'] as const;

export const isAssignable = (status: string) => (ASSIGNABLE as readonly string[]).includes(status);

/** Why an engineer cannot be assigned, for people: every failed rule with its detail. */
export const ineligibleMessage = (engineerId: string, exclusions: readonly Exclusion[]) =>
  `engineer ${engineerId} is not eligible for this ticket (${exclusions
    .map((e) => `${e.reason}: ${e.detail}`)
    .join('; ')}); give overrideReason to assign anyway`;
