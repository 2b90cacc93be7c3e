import { pageOf, parseInput, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  addEngineerMembership,
  createEngineer,
  endEngineerMembership,
  updateEngineerCoverage,
  updateEngineerSkills,
} from './commands.js';
import { listEngineers } from './engineer-store.js';
import { engineersArgs, locationOf } from './rules.js';

export const engineerResolvers: Resolvers = {
  Query: {
    async engineers(_, args, ctx) {
      const page = pageOf(args);
      const { orgId } = parseInput(engineersArgs, { orgId: args.orgId }, '');
      const { rows, total } = await listEngineers(ctx.prisma, page, { orgId, at: new Date() });
      for (const row of rows) ctx.loaders.engineer.prime(row.id, row);
      return toConnection(rows, page, total);
    },
    engineer: (_, { id }, ctx) => ctx.loaders.engineer.load(id),
  },
  Mutation: {
    createEngineer,
    updateEngineerSkills,
    updateEngineerCoverage,
    addEngineerMembership,
    endEngineerMembership,
  },
  Engineer: {
    __resolveReference: (ref, ctx) => ctx.loaders.engineer.load(ref.id),
    // email, phone and homeLocation are @pii in the SDL: the kit masks them without pii:read
    homeLocation: (e) => locationOf(e),
    regions: async (e, _, ctx) => (await ctx.loaders.coverageOf.load(e.id))?.regions ?? [],
    radiusKm: async (e, _, ctx) => (await ctx.loaders.coverageOf.load(e.id))?.radiusKm ?? null,
    skills: (e, _, ctx) => ctx.loaders.skillsOf.load(e.id),
    skillHistory: (e, _, ctx) => ctx.loaders.skillHistoryOf.load(e.id),
    coverageHistory: (e, _, ctx) => ctx.loaders.coverageHistoryOf.load(e.id),
    memberships: (e, _, ctx) => ctx.loaders.membershipsOf.load(e.id),
  },
  EngineerCoverage: {
    regions: (c) => c.regions ?? [],
  },
  EngineerMembership: {
    org: (m) => ({ id: m.orgId }),
  },
};
