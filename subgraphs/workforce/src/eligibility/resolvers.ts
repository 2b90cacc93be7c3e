import { forbidden, idOf, isAdmin, parseInput, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { locationInput, skillCode, skillLevel } from '../engineers/rules.js';
import { eligibleConnection, rankPageArgs } from './ranked-page.js';

const eligibleArgs = z.object({
  skills: z
    .array(z.object({ code: skillCode, level: skillLevel }))
    .max(20)
    .nullish(),
  region: z.string().regex(REGION_CODE, 'must be a region code such as DE or US-CA').nullish(),
  orgId: idOf('an organization').nullish(),
  location: locationInput.nullish(),
  at: z.date().nullish(),
  ...rankPageArgs,
});

export const eligibilityResolvers: Resolvers = {
  Query: {
    async eligibleEngineers(_, args, ctx) {
      const input = parseInput(eligibleArgs, args, '');
      const orgId = input.orgId ?? ctx.caller.orgId;
      // an organization asks about its own engineers; administrators about anyone's
      if (!isAdmin(ctx.caller) && (orgId === null || orgId !== ctx.caller.orgId))
        throw forbidden('you may ask only about your own organization’s engineers');
      return eligibleConnection(ctx, {
        need: {
          orgId,
          skills: input.skills ?? [],
          region: input.region ?? null,
          location: input.location ?? null,
          at: input.at ?? new Date(),
        },
        first: input.first,
        after: input.after,
      });
    },
  },
  EligibleEngineer: {
    engineer: (r, _, ctx) => ctx.loaders.engineer.loadRequired(r.candidate.id),
    scoreParts: (r) => r.parts,
  },
};
