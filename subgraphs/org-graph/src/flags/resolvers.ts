import { forbidden, isAdmin } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';

export const flagResolvers: Resolvers = {
  Query: {
    async featureFlags(_, { orgId }, ctx) {
      const tenant = orgId ?? ctx.caller.orgId;
      if (orgId && orgId !== ctx.caller.orgId && !isAdmin(ctx.caller)) {
        throw forbidden("only administrators may read another organization's flags");
      }
      return ctx.flags.all(tenant);
    },
  },
};
