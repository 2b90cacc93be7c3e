import { isAdmin } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { clockTicket } from '../sla/clock.js';

const span = ([from, to]: readonly [number, number]) => ({
  from: new Date(from),
  to: new Date(to),
});

export const ticketSlaResolvers: Resolvers = {
  Ticket: {
    async sla(ticket, _, ctx) {
      const row = await ctx.loaders.ticketSla.load(ticket.id);
      if (!row) return null;
      // the parties every candidate agreement binds see the same policies; others see none
      const { responsibleOrgId, manufacturerId } = row.ticket;
      const orgId = ctx.caller.orgId;
      if (
        !isAdmin(ctx.caller) &&
        (orgId === null || ![responsibleOrgId, manufacturerId].includes(orgId))
      )
        return null;
      const clocks = clockTicket(row.compiled, row.ticket.history, new Date());
      return {
        policy: row.policy,
        policyVersion: row.version.version,
        targets: clocks.map((c) => ({
          ...c,
          pauses: c.pauses.map(span),
          counted: c.counted.map(span),
        })),
      };
    },
  },
};
