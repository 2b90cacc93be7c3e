import { type Caller, isAdmin } from '@trellis/kit';
import { z } from 'zod';
import { ORG_ROLES } from '../policies/rules.js';

export const TICKET_STATUSES = [
  'OPEN',
  'ASSIGNED',
  'IN_PROGRESS',
  'AWAITING_CUSTOMER',
  'RESOLVED',
  'CLOSED',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A skill code such as "HVAC" or "F-GAS". */
export const SKILL_CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

/** A ticket's required skills (validated JSONB): [{ code, level 1-5 }], one entry per code. */
export const requiredSkillsSchema = z
  .array(
    z.object({
      code: z.string().regex(SKILL_CODE, 'must be a skill code such as "HVAC"'),
      level: z.number().int().min(1, 'level is 1-5').max(5, 'level is 1-5'),
    }),
  )
  .refine((skills) => new Set(skills.map((s) => s.code)).size === skills.length, {
    message: 'each skill code may appear once',
  });
export type SkillRequirement = z.output<typeof requiredSkillsSchema>[number];

export const FALLBACKS = ['NONE', 'DEFAULT_ORG', 'MANUFACTURER'] as const;
export const STEP_OUTCOMES = [
  'MATCHED',
  'NO_CANDIDATE',
  'NOT_IN_REGION',
  'INACTIVE',
  'NOT_CERTIFIED',
] as const;

/** One step of a responsibility decision (validated JSONB inside `ticket.provenance`). */
export const provenanceStepSchema = z.object({
  role: z.enum(ORG_ROLES),
  orgId: z.uuid().nullable(),
  outcome: z.enum(STEP_OUTCOMES),
  reason: z.string(),
});
export type ProvenanceStep = z.output<typeof provenanceStepSchema>;

/** How a ticket's responsible organization was decided (`ticket.provenance`, JSONB). */
export const provenanceSchema = z.object({
  policyId: z.uuid().nullable(),
  policyVersion: z.number().int().positive().nullable(),
  fallback: z.enum(FALLBACKS),
  decidedAt: z.iso.datetime({ offset: true }),
  steps: z.array(provenanceStepSchema),
});
export type Provenance = z.output<typeof provenanceSchema>;

/** A ticket's stored provenance; null when none was recorded. Unreadable JSON is a bug: throws. */
export function readProvenance(stored: unknown): Provenance | null {
  if (stored === null || stored === undefined) return null;
  const parsed = provenanceSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`unreadable ticket provenance: ${parsed.error.message}`);
  return parsed.data;
}

/** A ticket's stored required skills. Unreadable JSON is a bug: throws. */
export function readRequiredSkills(stored: unknown): SkillRequirement[] {
  const parsed = requiredSkillsSchema.safeParse(stored ?? []);
  if (!parsed.success) throw new Error(`unreadable required skills: ${parsed.error.message}`);
  return parsed.data;
}

/** The ticket's location, when both coordinates are known. */
export function ticketLocation(t: { lat: number | null; lng: number | null }) {
  return t.lat === null || t.lng === null ? null : { lat: t.lat, lng: t.lng };
}

/** The organizations a ticket concerns. */
export interface TicketParties {
  reportedByOrgId: string;
  responsibleOrgId: string | null;
  manufacturerId: string | null;
}

/** Tickets are visible to the reporting, the responsible and the manufacturing organization, and admin. */
export function canSeeTicket(caller: Caller, ticket: TicketParties): boolean {
  if (isAdmin(caller)) return true;
  const org = caller.orgId;
  if (!org) return false;
  return (
    ticket.reportedByOrgId === org ||
    ticket.responsibleOrgId === org ||
    ticket.manufacturerId === org
  );
}

/** The same rule as a where-clause (Prisma shape) for lists; null when nothing is visible. */
export type TicketVisibilityWhere =
  | Record<string, never>
  | {
      OR: [{ reportedByOrgId: string }, { responsibleOrgId: string }, { manufacturerId: string }];
    };

export function visibleTicketsWhere(caller: Caller): TicketVisibilityWhere | null {
  if (isAdmin(caller)) return {};
  const org = caller.orgId;
  if (!org) return null;
  return { OR: [{ reportedByOrgId: org }, { responsibleOrgId: org }, { manufacturerId: org }] };
}

/** Arguments of `tickets` beyond paging (the status is checked by its GraphQL enum). */
export const ticketsArgs = z.object({
  responsibleOrgId: z.uuid('must be an organization id').nullish(),
  status: z.enum(TICKET_STATUSES).nullish(),
});
