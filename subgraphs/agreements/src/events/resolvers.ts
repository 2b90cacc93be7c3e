import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { listEvents } from './outbox-event-store.js';
import { eventListScope, eventsArgs } from './rules.js';

export const eventResolvers: Resolvers = {
  Query: {
    async events(_, args, ctx) {
      const page = pageOf(args);
      const { type } = parseInput(eventsArgs, { type: args.type }, '');
      const scope = eventListScope(ctx.caller);
      if (!scope) return toConnection([], page, 0);
      const { rows, total } = await listEvents(ctx.prisma, page, scope, type);
      return toConnection(rows, page, total);
    },
  },
  Event: {
    org: (e) => (e.orgId ? { id: e.orgId } : null),
  },
};
