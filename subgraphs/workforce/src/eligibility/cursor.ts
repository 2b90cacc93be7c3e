import { badInput, isUuid } from '@trellis/kit';
import type { Ranked } from './ranking.js';

/** A keyset cursor on (score, id): the order of a ranking, stable across pages. */
export const rankCursor = (r: Ranked) =>
  Buffer.from(`r:${r.score}:${r.candidate.id}`).toString('base64url');

export function decodeRankCursor(cursor: string): { score: number; id: string } {
  const [tag, score, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (tag !== 'r' || !score || !Number.isFinite(Number(score)) || !id || !isUuid(id))
    throw badInput('after', 'after is not a cursor this API issued');
  return { score: Number(score), id };
}

/** The candidates after the cursor's, in ranking order (score descending, then id). */
export const after = (ranked: readonly Ranked[], cursor: { score: number; id: string }) =>
  ranked.filter(
    (r) => r.score < cursor.score || (r.score === cursor.score && r.candidate.id > cursor.id),
  );
