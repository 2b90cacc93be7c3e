/**
 * Eligibility (design §5 "Engineers", docs/engineers.md): the hard rules an engineer must pass to
 * be offered for a piece of work, each failure named by a reason code. Pure: the facts in force
 * at `at` come in, the verdict goes out; SQL only narrows the candidates with indexes before
 * this decides.
 */

/** What the work needs: a ticket's facts, or the arguments of `eligibleEngineers`. */
export interface Requirement {
  /** the organization the engineer must be a member of at `at`; null: any (administrators) */
  orgId: string | null;
  skills: readonly { code: string; level: number }[];
  /** the region to cover; null: no region */
  region: string | null;
  /** where the work is; null: unknown */
  location: Point | null;
  /** when: memberships, skills and certifications are judged in force then */
  at: Date;
}

export interface Point {
  lat: number;
  lng: number;
}

/** An engineer with the facts in force at the requirement's time. */
export interface Candidate {
  id: string;
  status: 'ACTIVE' | 'INACTIVE';
  home: Point | null;
  memberships: readonly { orgId: string; validFrom: Date; validTo: Date | null }[];
  skills: readonly { code: string; level: number; certifiedUntil: Date | null }[];
  coverage: { regions: readonly string[]; radiusKm: number | null } | null;
  /** open assignments (ranking only) */
  workload: number;
}

export const REASONS = [
  'INACTIVE',
  'NOT_A_MEMBER',
  'MISSING_SKILL',
  'SKILL_LEVEL_TOO_LOW',
  'CERTIFICATION_EXPIRED',
  'OUTSIDE_COVERAGE',
] as const;
export type Reason = (typeof REASONS)[number];

export interface Exclusion {
  reason: Reason;
  /** what failed, for people: the skill code, the organization, the distance… */
  detail: string;
}

export interface Verdict {
  eligible: boolean;
  /** every rule that failed (empty when eligible) */
  exclusions: Exclusion[];
  /** great-circle distance from home to the work's location, when both are known */
  distanceKm: number | null;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine, mean earth radius) in km. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The codes that cover `region`: itself and its country (`US` covers `US-CA`), the same rule as
 * service territories.
 */
export function regionsCovering(region: string): string[] {
  const country = region.split('-')[0]!;
  return country === region ? [region] : [region, country];
}

/** Whether a dated row is in force at `at` (from inclusive, to exclusive). */
export const inForce = (row: { validFrom: Date; validTo: Date | null }, at: Date) =>
  row.validFrom <= at && (row.validTo === null || at < row.validTo);

/** Whether a certification is valid at `at` (null: no expiry recorded). */
export const certified = (certifiedUntil: Date | null, at: Date) =>
  certifiedUntil === null || at < certifiedUntil;

/** The verdict of every hard rule on one candidate. */
export function eligibility(candidate: Candidate, need: Requirement): Verdict {
  const exclusions: Exclusion[] = [];
  if (candidate.status !== 'ACTIVE')
    exclusions.push({ reason: 'INACTIVE', detail: 'the engineer is not active' });
  if (
    need.orgId !== null &&
    !candidate.memberships.some((m) => m.orgId === need.orgId && inForce(m, need.at))
  )
    exclusions.push({ reason: 'NOT_A_MEMBER', detail: `not a member of ${need.orgId} then` });
  for (const required of need.skills) {
    const held = candidate.skills.find((s) => s.code === required.code);
    if (!held) exclusions.push({ reason: 'MISSING_SKILL', detail: required.code });
    else if (held.level < required.level)
      exclusions.push({
        reason: 'SKILL_LEVEL_TOO_LOW',
        detail: `${required.code} ${held.level} < ${required.level}`,
      });
    else if (!certified(held.certifiedUntil, need.at))
      exclusions.push({
        reason: 'CERTIFICATION_EXPIRED',
        detail: `${required.code} expired ${held.certifiedUntil!.toISOString()}`,
      });
  }
  const distance =
    need.location && candidate.home ? distanceKm(candidate.home, need.location) : null;
  const coverage = coverageProblem(candidate, need, distance);
  if (coverage) exclusions.push({ reason: 'OUTSIDE_COVERAGE', detail: coverage });
  return { eligible: exclusions.length === 0, exclusions, distanceKm: distance };
}

/**
 * Coverage: the work's region is covered by one of the engineer's region codes, or its location
 * lies within the radius around the engineer's home; nothing to cover (no region, no location)
 * passes.
 */
function coverageProblem(
  candidate: Candidate,
  need: Requirement,
  distance: number | null,
): string | null {
  if (need.region === null && need.location === null) return null;
  const regions = candidate.coverage?.regions ?? [];
  if (need.region !== null && regionsCovering(need.region).some((r) => regions.includes(r)))
    return null;
  const radius = candidate.coverage?.radiusKm ?? null;
  if (distance !== null && radius !== null && distance <= radius) return null;
  const where = [
    need.region === null ? null : `region ${need.region} not covered`,
    need.location === null
      ? null
      : distance === null || radius === null
        ? 'no radius around a known home'
        : `${distance.toFixed(1)} km > radius ${radius} km`,
  ];
  return where.filter(Boolean).join('; ');
}

/**
 * Degrees of latitude and longitude around `p` that hold every point within `km`: a bounding box
 * an index can serve (the exact distance is checked in code). A box that would cross a pole or
 * the antimeridian spans every longitude.
 */
export function boundingBox(p: Point, km: number) {
  const r = km / EARTH_RADIUS_KM;
  const dLat = (r * 180) / Math.PI;
  const cos = Math.cos(rad(p.lat));
  const sinR = Math.sin(Math.min(r, Math.PI / 2));
  const dLng = cos <= sinR ? 180 : (Math.asin(sinR / cos) * 180) / Math.PI;
  const wraps = p.lng - dLng < -180 || p.lng + dLng > 180;
  return {
    minLat: Math.max(-90, p.lat - dLat),
    maxLat: Math.min(90, p.lat + dLat),
    minLng: wraps ? -180 : p.lng - dLng,
    maxLng: wraps ? 180 : p.lng + dLng,
  };
}
