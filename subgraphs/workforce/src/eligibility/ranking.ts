/**
 * Ranking eligible engineers (docs/engineers.md "Score"): a small plugin interface, one
 * implementation per strategy, the strategy and its weights chosen by configuration
 * (`WORKFORCE_RANKING`), so an operator adds a strategy here without touching the resolvers.
 */
import { z } from 'zod';
import type { Candidate, Requirement } from './rules.js';

/** An eligible candidate with what the rules measured. */
export interface EligibleCandidate {
  candidate: Candidate;
  /** great-circle km from home to the work, when both are known */
  distanceKm: number | null;
}

/** The parts of a score: each strategy fills what it uses; the API returns them all. */
export interface ScoreParts {
  /** levels above the required ones, summed over the required skills */
  skill: number;
  /** km to the work (rounded to 0.01), null when a location is unknown */
  distanceKm: number | null;
  /** open assignments */
  workload: number;
}

export interface Ranked {
  candidate: Candidate;
  score: number;
  parts: ScoreParts;
}

/**
 * A ranking strategy: orders eligible candidates for a piece of work, best first, each with its
 * score and parts. Equal scores must come out in ascending id order (keyset pages rely on the
 * order (score desc, id asc)); `byScoreThenId` does that.
 */
export interface RankingStrategy {
  readonly name: string;
  rank(candidates: readonly EligibleCandidate[], work: Requirement): Ranked[];
}

/** The weights of the weighted score (defaults documented in docs/engineers.md). */
export const weightsSchema = z.object({
  /** points per level above the required level */
  skill: z.number().min(0).default(10),
  /** points off per km to the work */
  distance: z.number().min(0).default(0.5),
  /** points off per open assignment */
  workload: z.number().min(0).default(5),
});
export type Weights = z.infer<typeof weightsSchema>;

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** The order every strategy answers: score descending, then id ascending. */
export const byScoreThenId = (a: Ranked, b: Ranked) =>
  b.score - a.score ||
  (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0);

/** The parts every strategy can use, measured once. */
export function partsOf(
  { candidate, distanceKm }: EligibleCandidate,
  work: Requirement,
): ScoreParts {
  let skill = 0;
  for (const required of work.skills) {
    const held = candidate.skills.find((s) => s.code === required.code);
    if (held) skill += Math.max(0, held.level - required.level);
  }
  return {
    skill,
    distanceKm: distanceKm === null ? null : round(distanceKm, 2),
    workload: candidate.workload,
  };
}

/**
 * score = skill × w.skill − distanceKm × w.distance − workload × w.workload (an unknown
 * distance costs nothing), rounded to 0.001.
 */
export function weightedScore(weights: Weights): RankingStrategy {
  return {
    name: 'weighted',
    rank(candidates, work) {
      return candidates
        .map((c) => {
          const parts = partsOf(c, work);
          const score = round(
            parts.skill * weights.skill -
              (parts.distanceKm ?? 0) * weights.distance -
              parts.workload * weights.workload,
            3,
          );
          return { candidate: c.candidate, score, parts };
        })
        .sort(byScoreThenId);
    },
  };
}

/** What a strategy is made from: the configuration's settings. */
export interface StrategySettings {
  weights: Weights;
}

/** The strategies an operator can choose by name; add one here (and document it). */
export const STRATEGIES: Record<string, (settings: StrategySettings) => RankingStrategy> = {
  weighted: (settings) => weightedScore(settings.weights),
};

/** `WORKFORCE_RANKING`: JSON `{ "strategy": "weighted", "weights": { … } }`, every key optional. */
export const rankingConfigSchema = z.object({
  strategy: z
    .string()
    .default('weighted')
    .refine((name) => name in STRATEGIES, {
      message: `one of: ${Object.keys(STRATEGIES).join(', ')}`,
    }),
  weights: weightsSchema.default(weightsSchema.parse({})),
});
export type RankingConfig = z.infer<typeof rankingConfigSchema>;

/** The configured strategy; a malformed setting is refused with what to fix. */
export function rankingFrom(setting: string | undefined): RankingStrategy {
  let raw: unknown = {};
  if (setting?.trim()) {
    try {
      raw = JSON.parse(setting);
    } catch {
      throw new Error('WORKFORCE_RANKING is not JSON');
    }
  }
  const parsed = rankingConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `WORKFORCE_RANKING: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return STRATEGIES[parsed.data.strategy]!(parsed.data);
}
