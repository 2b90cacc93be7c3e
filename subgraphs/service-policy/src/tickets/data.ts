import { isUuid, type Page, pageQuery, rowLoader } from '@trellis/kit';
import type { Prisma, Ticket } from '@trellis/prisma/service-policy/generated/client.ts';
import type { ServicePolicyPrisma } from '../prisma.js';
import type { TicketStatus, TicketVisibilityWhere } from './rules.js';

export type TicketRow = Ticket;

export function ticketLoaders(prisma: ServicePolicyPrisma) {
  return {
    /** any ticket by id, visible or not: resolvers check visibility */
    ticket: rowLoader<string, TicketRow>(
      (ids) => prisma.ticket.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (t) => t.id,
    ),
  };
}

export interface TicketFilter {
  responsibleOrgId?: string | null;
  status?: TicketStatus | null;
}

/** A page of the tickets matching `visibility` (in the where-clause) and the filter. */
export async function listTickets(
  prisma: ServicePolicyPrisma,
  page: Page,
  visibility: TicketVisibilityWhere,
  filter: TicketFilter,
) {
  const where: Prisma.TicketWhereInput = {
    AND: [
      visibility,
      ...(filter.responsibleOrgId ? [{ responsibleOrgId: filter.responsibleOrgId }] : []),
      ...(filter.status ? [{ status: filter.status }] : []),
    ],
  };
  const [rows, total] = await Promise.all([
    prisma.ticket.findMany(pageQuery(page, where)),
    prisma.ticket.count({ where }),
  ]);
  return { rows, total };
}
