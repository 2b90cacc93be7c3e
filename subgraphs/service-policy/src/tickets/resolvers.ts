import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { listTickets } from './data.js';
import {
  canSeeTicket,
  readProvenance,
  readRequiredSkills,
  ticketLocation,
  ticketsArgs,
  visibleTicketsWhere,
} from './rules.js';

/** A ticket by id, or null when it does not exist or the caller may not see it. */
async function visibleTicket(ctx: Context, id: string) {
  const ticket = await ctx.loaders.ticket.load(id);
  return ticket && canSeeTicket(ctx.caller, ticket) ? ticket : null;
}

// Tickets are always available (no flag); only assignment on create is flagged.
export const ticketResolvers: Resolvers = {
  Query: {
    ticket: (_, { id }, ctx) => visibleTicket(ctx, id),
    async tickets(_, args, ctx) {
      const filter = parseInput(ticketsArgs, args, '');
      const page = pageOf(args);
      const visibility = visibleTicketsWhere(ctx.caller);
      if (!visibility) return toConnection([], page, 0);
      const { rows, total } = await listTickets(ctx.prisma, page, visibility, filter);
      return toConnection(rows, page, total);
    },
  },
  Ticket: {
    __resolveReference: (ref, ctx) => visibleTicket(ctx, ref.id),
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
};
