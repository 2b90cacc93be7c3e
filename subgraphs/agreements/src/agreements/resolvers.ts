import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { listAgreements } from './agreement-store.js';
import { createAgreement, updateAgreement } from './commands.js';
import { agreementListScope, agreementsArgs, canSeeAgreement, effectiveStatus } from './rules.js';

/** The agreement, or null when it does not exist or the caller is not a party. */
async function visibleAgreement(ctx: Context, id: string) {
  const [agreement, parties] = await Promise.all([
    ctx.loaders.agreement.load(id),
    ctx.loaders.partiesOf.load(id),
  ]);
  if (!agreement) return null;
  return canSeeAgreement(
    ctx.caller,
    parties.map((p) => p.orgId),
  )
    ? agreement
    : null;
}

export const agreementResolvers: Resolvers = {
  Query: {
    async agreements(_, args, ctx) {
      const page = pageOf(args);
      const { orgId } = parseInput(agreementsArgs, { orgId: args.orgId }, '');
      const scope = agreementListScope(ctx.caller, orgId);
      if (!scope) return toConnection([], page, 0);
      const { rows, total } = await listAgreements(ctx.prisma, page, scope);
      return toConnection(rows, page, total);
    },
    agreement: (_, { id }, ctx) => visibleAgreement(ctx, id),
  },
  Mutation: { createAgreement, updateAgreement },
  Agreement: {
    __resolveReference: (ref, ctx) => visibleAgreement(ctx, ref.id),
    status: (a) => effectiveStatus(a, new Date()),
    parties: async (a, _, ctx) =>
      (await ctx.loaders.partiesOf.load(a.id)).map((p) => ({ id: p.orgId })),
    slaPolicies: (a, _, ctx) => ctx.loaders.slaPoliciesOf.load(a.id),
    createdBy: (a) => ({ id: a.createdByOrgId }),
    acceptedBy: async (a, _, ctx) =>
      (await ctx.loaders.partiesOf.load(a.id))
        .filter((p) => p.acceptedAt !== null)
        .map((p) => ({ id: p.orgId })),
    versions: (a, _, ctx) => ctx.loaders.versionsOf.load(a.id),
  },
};
