import { type Caller, idOf, isAdmin, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';
import { ISSUE_TYPE, ORG_ROLES } from '../policies/rules.js';
import { type Decision, FALLBACKS, STEP_OUTCOMES, STEP_REASONS } from '../responsibility/rules.js';

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

/** One step of a responsibility decision (validated JSONB inside `ticket.provenance`). */
export const provenanceStepSchema = z.object({
  role: z.enum(ORG_ROLES),
  orgId: z.uuid().nullable(),
  outcome: z.enum(STEP_OUTCOMES),
  reason: z.enum(STEP_REASONS),
  candidates: z.number().int().min(0),
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

/** The stored form of a decision. */
export const provenanceOf = (d: Decision): Provenance => ({
  policyId: d.policyId,
  policyVersion: d.policyVersion,
  fallback: d.fallback,
  decidedAt: d.decidedAt.toISOString(),
  steps: d.steps,
});

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

export const TICKET_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

export const createTicketInput = z.object({
  skuId: idOf('a SKU'),
  region: z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"'),
  location: z
    .object({
      lat: z.number().min(-90, 'latitude is -90 to 90').max(90, 'latitude is -90 to 90'),
      lng: z.number().min(-180, 'longitude is -180 to 180').max(180, 'longitude is -180 to 180'),
    })
    .nullish(),
  issueType: z.string().regex(ISSUE_TYPE, 'must be an issue type code such as "NO_COOLING"'),
  priority: z.enum(TICKET_PRIORITIES, 'must be one of P1, P2, P3, P4'),
  reportedByOrgId: idOf('an organization'),
  requiredSkills: requiredSkillsSchema.nullish().transform((s) => s ?? []),
  idempotencyKey: z.string().nullish(),
});
export type CreateTicketInput = z.output<typeof createTicketInput>;

export const updateTicketStatusArgs = z.object({
  id: idOf('a ticket'),
  status: z.enum(TICKET_STATUSES),
});

/** The ticket state machine: where each status may go next. */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  OPEN: ['ASSIGNED'],
  ASSIGNED: ['IN_PROGRESS'],
  IN_PROGRESS: ['AWAITING_CUSTOMER', 'RESOLVED'],
  AWAITING_CUSTOMER: ['IN_PROGRESS'],
  RESOLVED: ['IN_PROGRESS', 'CLOSED'],
  CLOSED: [],
};

/**
 * Whether a ticket in `from` may move to `to`: 'SAME' when it is already there (someone else
 * moved it first: a conflict, not a mistake), 'ILLEGAL' for a step the machine does not have.
 */
export function transition(from: TicketStatus, to: TicketStatus): 'OK' | 'SAME' | 'ILLEGAL' {
  if (from === to) return 'SAME';
  return TRANSITIONS[from].includes(to) ? 'OK' : 'ILLEGAL';
}

/** Where tickets may go from `from`, in words, for the message of an illegal step. */
export const nextStatuses = (from: TicketStatus) =>
  TRANSITIONS[from].length ? TRANSITIONS[from].join(' or ') : 'nowhere (it is final)';
