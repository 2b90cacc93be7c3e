import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createServicePolicy, updateServicePolicy } from './commands.js';
import { definitionOf, listServicePolicies } from './policy-store.js';
import { servicePoliciesArgs } from './rules.js';

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
  Mutation: { createServicePolicy, updateServicePolicy },
  ServicePolicy: {
    __resolveReference: (ref, ctx) => ctx.loaders.servicePolicy.load(ref.id),
    manufacturer: (p) => ({ id: p.manufacturerId }),
    defaultOrg: (p) => (p.defaultOrgId ? { id: p.defaultOrgId } : null),
    conditions: (p) => definitionOf(p).conditions,
  },
};
