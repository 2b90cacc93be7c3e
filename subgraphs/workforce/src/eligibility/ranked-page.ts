import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@trellis/kit';
import { z } from 'zod';
import type { Context } from '../context.js';
import { candidatesFor } from './candidate-store.js';
import { after, decodeRankCursor, rankCursor } from './cursor.js';
import { rankingFrom } from './ranking.js';
import { eligibility, type Requirement } from './rules.js';

/** The configured ranking (docs/engineers.md "Plugins"), read once at start. */
const ranking = rankingFrom(process.env.WORKFORCE_RANKING);

/** Paging of a ranked list: `first` 0..MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE), `after` a rank cursor. */
export const rankPageArgs = {
  first: z
    .number()
    .int()
    .min(0)
    .max(MAX_PAGE_SIZE, `first must be between 0 and ${MAX_PAGE_SIZE}`)
    .nullish(),
  after: z.string().nullish(),
};

/**
 * The engineers eligible for `need`, ranked by the configured strategy, one page of them: one
 * candidate statement, then the pure rules, the ranking and keyset paging in code.
 */
export async function eligibleConnection(
  ctx: Context,
  {
    need,
    first,
    after: afterCursor,
  }: { need: Requirement; first?: number | null; after?: string | null },
) {
  const cursor = afterCursor ? decodeRankCursor(afterCursor) : null;
  const take = first ?? DEFAULT_PAGE_SIZE;
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
}
