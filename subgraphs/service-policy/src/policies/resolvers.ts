import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { listServicePolicies } from './data.js';
import { readConditions, servicePoliciesArgs } from './rules.js';

export const policyResolvers: Resolvers = {
  Query: {
    async servicePolicies(_, args, ctx) {
      const { manufacturerId } = parseInput(servicePoliciesArgs, args, '');
      const page = pageOf(args);
      const { rows, total } = await listServicePolicies(ctx.prisma, page, manufacturerId);
      return toConnection(rows, page, total);
    },
    servicePolicy: (_, { id }, ctx) => ctx.loaders.servicePolicy.load(id),
  },
  ServicePolicy: {
    __resolveReference: (ref, ctx) => ctx.loaders.servicePolicy.load(ref.id),
    manufacturer: (p) => ({ id: p.manufacturerId }),
    defaultOrg: (p) => (p.defaultOrgId ? { id: p.defaultOrgId } : null),
    conditions: (p) => {
      const conditions = readConditions(p.conditions);
      // stored conditions are written through the same schema: unreadable ones are a bug (masked)
      if (!conditions) throw new Error(`service policy ${p.id} has unreadable conditions`);
      return conditions;
    },
  },
};
