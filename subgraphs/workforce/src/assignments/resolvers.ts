import { isAdmin, parseInput } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { eligibleConnection, rankPageArgs } from '../eligibility/ranked-page.js';
import { assignEngineer } from './commands.js';
import { requirementOf } from './ticket-store.js';

const ticketEligibleArgs = z.object(rankPageArgs);

const NONE = {
  totalCount: 0,
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

export const assignmentResolvers: Resolvers = {
  Mutation: { assignEngineer },
  Ticket: {
    __resolveReference: (ref) => ({ id: ref.id }),
    async eligibleEngineers(t, args, ctx) {
      const page = parseInput(ticketEligibleArgs, args, '');
      const ticket = await ctx.loaders.ticket.load(t.id);
      const org = ticket?.responsibleOrgId ?? null;
      // the responsible organization dispatches its own people; others who see the ticket get none
      if (!ticket || org === null || !(isAdmin(ctx.caller) || org === ctx.caller.orgId))
        return NONE;
      return eligibleConnection(ctx, { need: requirementOf(ticket, org), ...page });
    },
    assignments: (t, _, ctx) => ctx.loaders.assignmentsOf.load(t.id),
  },
  EngineerAssignment: {
    ticket: (a) => ({ id: a.ticketId }),
    engineer: (a, _, ctx) => ctx.loaders.engineer.load(a.engineerId),
  },
};
