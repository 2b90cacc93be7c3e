import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { createSlaPolicy, updateSlaPolicy } from './commands.js';
import { canSeeSlaPolicy, slaPoliciesArgs, slaPolicyListScope } from './rules.js';
import { listSlaPolicies } from './sla-policy-store.js';

/** The policy, or null when it does not exist or the caller may not see it. */
async function visibleSlaPolicy(ctx: Context, id: string) {
  const policy = await ctx.loaders.slaPolicy.load(id);
  if (!policy) return null;
  // the owner and admin need no look-up of the agreements that apply the policy
  if (canSeeSlaPolicy(ctx.caller, policy.orgId)) return policy;
  const parties = await ctx.loaders.slaPolicyPartyOrgIds.load(id);
  return canSeeSlaPolicy(
    ctx.caller,
    policy.orgId,
    parties.map((p) => p.orgId),
  )
    ? policy
    : null;
}

export const slaPolicyResolvers: Resolvers = {
  Query: {
    async slaPolicies(_, args, ctx) {
      const page = pageOf(args);
      const { orgId } = parseInput(slaPoliciesArgs, { orgId: args.orgId }, '');
      const scope = slaPolicyListScope(ctx.caller, orgId);
      if (!scope) return toConnection([], page, 0);
      const { rows, total } = await listSlaPolicies(ctx.prisma, page, scope);
      return toConnection(rows, page, total);
    },
    slaPolicy: (_, { id }, ctx) => visibleSlaPolicy(ctx, id),
  },
  Mutation: { createSlaPolicy, updateSlaPolicy },
  SlaPolicy: {
    __resolveReference: (ref, ctx) => visibleSlaPolicy(ctx, ref.id),
    org: (p) => ({ id: p.orgId }),
    versions: (p, _, ctx) => ctx.loaders.slaPolicyVersionsOf.load(p.id),
  },
};
