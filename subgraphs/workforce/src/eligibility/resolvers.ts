import {
  DEFAULT_PAGE_SIZE,
  forbidden,
  idOf,
  isAdmin,
  MAX_PAGE_SIZE,
  parseInput,
  REGION_CODE,
} from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { locationInput, skillCode, skillLevel } from '../engineers/rules.js';
import { candidatesFor } from './candidate-store.js';
import { after, decodeRankCursor, rankCursor } from './cursor.js';
import { rankingFrom } from './ranking.js';
import { eligibility, type Requirement } from './rules.js';

/** The configured ranking (docs/engineers.md "Plugins"), read once at start. */
const ranking = rankingFrom(process.env.WORKFORCE_RANKING);

const eligibleArgs = z.object({
  skills: z
    .array(z.object({ code: skillCode, level: skillLevel }))
    .max(20)
    .nullish(),
  region: z.string().regex(REGION_CODE, 'must be a region code such as DE or US-CA').nullish(),
  orgId: idOf('an organization').nullish(),
  location: locationInput.nullish(),
  at: z.date().nullish(),
  first: z
    .number()
    .int()
    .min(0)
    .max(MAX_PAGE_SIZE, `first must be between 0 and ${MAX_PAGE_SIZE}`)
    .nullish(),
  after: z.string().nullish(),
});

export const eligibilityResolvers: Resolvers = {
  Query: {
    async eligibleEngineers(_, args, ctx) {
      const input = parseInput(eligibleArgs, args, '');
      const orgId = input.orgId ?? ctx.caller.orgId;
      // an organization asks about its own engineers; administrators about anyone's
      if (!isAdmin(ctx.caller) && (orgId === null || orgId !== ctx.caller.orgId))
        throw forbidden('you may ask only about your own organization’s engineers');
      const cursor = input.after ? decodeRankCursor(input.after) : null;
      const take = input.first ?? DEFAULT_PAGE_SIZE;
      const need: Requirement = {
        orgId,
        skills: input.skills ?? [],
        region: input.region ?? null,
        location: input.location ?? null,
        at: input.at ?? new Date(),
      };
      const found = await candidatesFor(ctx.prisma, need);
      const eligible = [];
      for (const { candidate, row } of found) {
        const verdict = eligibility(candidate, need);
        if (!verdict.eligible) continue;
        ctx.loaders.engineer.prime(row.id, row);
        eligible.push({ candidate, distanceKm: verdict.distanceKm });
      }
      const ranked = ranking.rank(eligible, need);
      const rest = cursor ? after(ranked, cursor) : ranked;
      const page = rest.slice(0, take);
      const edges = page.map((node) => ({ cursor: rankCursor(node), node }));
      return {
        totalCount: ranked.length,
        edges,
        pageInfo: {
          hasNextPage: rest.length > take,
          hasPreviousPage: cursor !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  EligibleEngineer: {
    engineer: (r, _, ctx) => ctx.loaders.engineer.loadRequired(r.candidate.id),
    scoreParts: (r) => r.parts,
  },
};
