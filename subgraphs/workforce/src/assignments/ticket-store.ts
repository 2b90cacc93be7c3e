import { rowLoader, uuidsOnly } from '@trellis/kit';
import type { Requirement } from '../eligibility/rules.js';
import type { WorkforcePrisma } from '../prisma.js';

/** A ticket as workforce resolves it: a reference by id (service-policy owns its fields). */
export interface TicketRef {
  id: string;
}

/** A ticket's facts as service-policy publishes them (`service_policy.ticket_v1`). */
export interface TicketFacts {
  id: string;
  status: string;
  responsibleOrgId: string | null;
  region: string;
  lat: number | null;
  lng: number | null;
  requiredSkills: { code: string; level: number }[];
  createdAt: Date;
}

/**
 * The tickets the caller may see, by id, in one statement per batch: the view is
 * security_invoker, so service-policy's row policies on tickets decide.
 */
export function ticketLoaders(prisma: WorkforcePrisma) {
  return {
    ticket: rowLoader<string, TicketFacts>(
      (ids) =>
        prisma.$queryRawUnsafe<TicketFacts[]>(
          `SELECT id::text AS id, status, responsible_org_id::text AS "responsibleOrgId", region,
                  lat, lng, required_skills AS "requiredSkills", created_at AS "createdAt"
             FROM service_policy.ticket_v1 WHERE id = ANY($1::uuid[])`,
          uuidsOnly(ids),
        ),
      (t) => t.id,
    ),
  };
}

/** What a ticket asks of an engineer, judged at the ticket's time (its responsible organization's). */
export const requirementOf = (t: TicketFacts, orgId: string): Requirement => ({
  orgId,
  skills: t.requiredSkills,
  region: t.region,
  location: t.lat === null || t.lng === null ? null : { lat: t.lat, lng: t.lng },
  at: new Date(t.createdAt),
});
