import { pageOf, parseInput, toConnection } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { createTicket, updateTicketStatus } from './commands.js';
import {
  readProvenance,
  readRequiredSkills,
  TICKET_STATUSES,
  ticketLocation,
  ticketsArgs,
  visibleTicketsWhere,
} from './rules.js';
import { listTickets, type TicketOwnerKind } from './ticket-store.js';

const ownerArgs = z.object({ status: z.enum(TICKET_STATUSES).nullish() });

/** An organization's or a SKU's page of tickets (what the caller may see). */
async function ticketsOf(
  kind: TicketOwnerKind,
  id: string,
  args: { first?: number | null; after?: string | null; status?: string | null },
  ctx: Context,
) {
  const page = pageOf(args);
  const { status } = parseInput(ownerArgs, args, '');
  const { rows, total } = await ctx.loaders.ticketPage.load({
    kind,
    id,
    page,
    status: status ?? null,
  });
  return toConnection(rows, page, total);
}

// Tickets are always available (no flag); only assignment on create is flagged, per manufacturer.
// Which tickets a caller sees is row-level security's (reporting, responsible, manufacturing
// organization; admin); the list's where-clause says the same for the planner.
export const ticketResolvers: Resolvers = {
  Query: {
    ticket: (_, { id }, ctx) => ctx.loaders.ticket.load(id),
    async tickets(_, args, ctx) {
      const filter = parseInput(ticketsArgs, args, '');
      const page = pageOf(args);
      const visibility = visibleTicketsWhere(ctx.caller);
      if (!visibility) return toConnection([], page, 0);
      const { rows, total } = await listTickets(ctx.prisma, page, visibility, filter);
      return toConnection(rows, page, total);
    },
  },
  Mutation: { createTicket, updateTicketStatus },
  Ticket: {
    __resolveReference: (ref, ctx) => ctx.loaders.ticket.load(ref.id),
    sku: (t) => ({ id: t.skuId }),
    manufacturer: (t) => (t.manufacturerId ? { id: t.manufacturerId } : null),
    reportedBy: (t) => ({ id: t.reportedByOrgId }),
    location: (t) => ticketLocation(t),
    requiredSkills: (t) => readRequiredSkills(t.requiredSkills),
    responsibleOrg: (t) => (t.responsibleOrgId ? { id: t.responsibleOrgId } : null),
    provenance: (t) => readProvenance(t.provenance),
  },
  ResponsibilityStep: {
    org: (s) => (s.orgId ? { id: s.orgId } : null),
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    tickets: (org, args, ctx) => ticketsOf('organization', org.id, args, ctx),
  },
  Sku: {
    __resolveReference: (ref) => ({ id: ref.id }),
    tickets: (sku, args, ctx) => ticketsOf('sku', sku.id, args, ctx),
  },
};
