import { describe, expect, it } from 'vitest';
import { rankingFrom, weightedScore } from './ranking.js';
import { type Candidate, eligibility, type Requirement } from './rules.js';

const ORG = '0199a0c2-0000-7000-8000-00000000a001';
const AT = new Date('2026-06-15T12:00:00Z');

// The worked example of docs/engineers.md "Score": keep the two in step.
const work: Requirement = {
  orgId: ORG,
  skills: [{ code: 'HVAC', level: 3 }],
  region: 'DE-NW',
  location: { lat: 50.9413, lng: 6.9583 }, // Köln Dom
  at: AT,
};
const person = (
  id: string,
  level: number,
  home: Candidate['home'],
  workload: number,
): Candidate => ({
  id,
  status: 'ACTIVE',
  home,
  memberships: [{ orgId: ORG, validFrom: new Date('2026-01-01T00:00:00Z'), validTo: null }],
  skills: [{ code: 'HVAC', level, certifiedUntil: null }],
  coverage: { regions: ['DE-NW'], radiusKm: null },
  workload,
});
const ANNA = person('0199a0c2-0000-7000-8000-0000000000a1', 5, { lat: 50.9375, lng: 6.9603 }, 2);
const BEN = person('0199a0c2-0000-7000-8000-0000000000b2', 3, { lat: 50.7374, lng: 7.0982 }, 0);
const CEM = person('0199a0c2-0000-7000-8000-0000000000c3', 4, { lat: 51.2277, lng: 6.7735 }, 0);
const DANA = person('0199a0c2-0000-7000-8000-0000000000d4', 4, { lat: 50.9333, lng: 6.95 }, 1);

const eligible = (cs: Candidate[], w: Requirement) =>
  cs.map((candidate) => {
    const verdict = eligibility(candidate, w);
    expect(verdict.eligible).toBe(true);
    return { candidate, distanceKm: verdict.distanceKm };
  });
const table = (ranked: ReturnType<ReturnType<typeof weightedScore>['rank']>) =>
  ranked.map((r) => ({ id: r.candidate.id, score: r.score, ...r.parts }));

describe('the weighted score', () => {
  it('ranks the worked example of docs/engineers.md with its documented parts (default weights)', () => {
    const ranked = rankingFrom(undefined).rank(eligible([BEN, CEM, ANNA, DANA], work), work);
    expect(table(ranked)).toEqual([
      { id: ANNA.id, score: 9.775, skill: 2, distanceKm: 0.45, workload: 2 },
      { id: DANA.id, score: 4.47, skill: 1, distanceKm: 1.06, workload: 1 },
      { id: CEM.id, score: -7.18, skill: 1, distanceKm: 34.36, workload: 0 },
      { id: BEN.id, score: -12.355, skill: 0, distanceKm: 24.71, workload: 0 },
    ]);
  });

  it('weights come from configuration: distance alone puts the nearest first', () => {
    const nearest = rankingFrom('{"weights": {"skill": 0, "workload": 0, "distance": 1}}');
    expect(
      nearest.rank(eligible([BEN, CEM, ANNA, DANA], work), work).map((r) => r.candidate.id),
    ).toEqual([ANNA.id, DANA.id, BEN.id, CEM.id]);
  });

  it('breaks ties by id, and an unknown distance costs nothing', () => {
    const noLocation = { ...work, location: null };
    const ranked = weightedScore({ skill: 10, distance: 0.5, workload: 5 }).rank(
      eligible([CEM, DANA, ANNA], noLocation),
      noLocation,
    );
    // Cem: 10; Dana: 10 − 5; Anna: 20 − 10: Anna and Cem tie at 10, Anna's id is smaller
    expect(table(ranked)).toEqual([
      { id: ANNA.id, score: 10, skill: 2, distanceKm: null, workload: 2 },
      { id: CEM.id, score: 10, skill: 1, distanceKm: null, workload: 0 },
      { id: DANA.id, score: 5, skill: 1, distanceKm: null, workload: 1 },
    ]);
  });

  it('refuses a malformed configuration, saying what to fix', () => {
    expect(() => rankingFrom('{"strategy": "random"}')).toThrow(/WORKFORCE_RANKING: strategy/);
    expect(() => rankingFrom('{"weights": {"skill": -1}}')).toThrow(/weights\.skill/);
    expect(() => rankingFrom('{oops')).toThrow(/not JSON/);
    expect(rankingFrom('').name).toBe('weighted');
  });
});
