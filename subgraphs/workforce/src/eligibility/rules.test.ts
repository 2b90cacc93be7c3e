import { describe, expect, it } from 'vitest';
import {
  boundingBox,
  type Candidate,
  distanceKm,
  eligibility,
  type Requirement,
  regionsCovering,
} from './rules.js';

const ORG = '0199a0c2-0000-7000-8000-00000000a001';
const OTHER = '0199a0c2-0000-7000-8000-00000000b001';
const AT = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const days = (n: number) => new Date(AT.getTime() + n * DAY);
const KOELN = { lat: 50.9413, lng: 6.9583 };
/** km per degree of latitude on the mean sphere */
const KM_PER_DEG = (6371.0088 * Math.PI) / 180;
const north = (km: number) => ({ lat: KOELN.lat + km / KM_PER_DEG, lng: KOELN.lng });

const engineer = (over: Partial<Candidate> = {}): Candidate => ({
  id: '0199a0c2-0000-7000-8000-0000000000e1',
  status: 'ACTIVE',
  home: KOELN,
  memberships: [{ orgId: ORG, validFrom: days(-30), validTo: null }],
  skills: [{ code: 'HVAC', level: 3, certifiedUntil: days(365) }],
  coverage: { regions: ['DE-NW'], radiusKm: 25 },
  workload: 0,
  ...over,
});
const need = (over: Partial<Requirement> = {}): Requirement => ({
  orgId: ORG,
  skills: [{ code: 'HVAC', level: 3 }],
  region: 'DE-NW',
  location: null,
  at: AT,
  ...over,
});
const reasons = (c: Candidate, r: Requirement) => eligibility(c, r).exclusions.map((e) => e.reason);

describe('eligibility: each limit excludes one step beyond and includes one step inside', () => {
  it('an engineer meeting every rule is eligible', () => {
    expect(eligibility(engineer(), need())).toEqual({
      eligible: true,
      exclusions: [],
      distanceKm: null,
    });
  });

  it('active', () => {
    expect(reasons(engineer({ status: 'INACTIVE' }), need())).toEqual(['INACTIVE']);
  });

  it('a certification expired yesterday excludes; one valid until tomorrow includes', () => {
    const until = (d: Date) =>
      engineer({ skills: [{ code: 'HVAC', level: 3, certifiedUntil: d }] });
    expect(reasons(until(days(-1)), need())).toEqual(['CERTIFICATION_EXPIRED']);
    expect(reasons(until(days(1)), need())).toEqual([]);
    // valid until is exclusive: expiring at the very time excludes
    expect(reasons(until(AT), need())).toEqual(['CERTIFICATION_EXPIRED']);
    // no expiry recorded: valid
    expect(
      reasons(engineer({ skills: [{ code: 'HVAC', level: 3, certifiedUntil: null }] }), need()),
    ).toEqual([]);
  });

  it('a membership that ended yesterday excludes; one ending tomorrow includes', () => {
    const until = (d: Date) =>
      engineer({ memberships: [{ orgId: ORG, validFrom: days(-30), validTo: d }] });
    expect(reasons(until(days(-1)), need())).toEqual(['NOT_A_MEMBER']);
    expect(reasons(until(days(1)), need())).toEqual([]);
    // starting tomorrow is not yet; another organization's membership does not count
    expect(
      reasons(
        engineer({ memberships: [{ orgId: ORG, validFrom: days(1), validTo: null }] }),
        need(),
      ),
    ).toEqual(['NOT_A_MEMBER']);
    expect(
      reasons(
        engineer({ memberships: [{ orgId: OTHER, validFrom: days(-30), validTo: null }] }),
        need(),
      ),
    ).toEqual(['NOT_A_MEMBER']);
    // no organization asked (an administrator's query): memberships are not a rule
    expect(reasons(engineer({ memberships: [] }), need({ orgId: null }))).toEqual([]);
  });

  it('a skill one level below excludes; at the level includes; a missing skill excludes', () => {
    const level = (n: number) =>
      engineer({ skills: [{ code: 'HVAC', level: n, certifiedUntil: null }] });
    expect(reasons(level(2), need())).toEqual(['SKILL_LEVEL_TOO_LOW']);
    expect(reasons(level(3), need())).toEqual([]);
    expect(reasons(level(5), need())).toEqual([]);
    expect(
      reasons(
        engineer(),
        need({
          skills: [
            { code: 'HVAC', level: 3 },
            { code: 'ELEC', level: 1 },
          ],
        }),
      ),
    ).toEqual(['MISSING_SKILL']);
  });

  it('a region outside coverage excludes; the region or its country includes', () => {
    expect(reasons(engineer(), need({ region: 'DE-BY' }))).toEqual(['OUTSIDE_COVERAGE']);
    expect(reasons(engineer(), need({ region: 'DE-NW' }))).toEqual([]);
    expect(
      reasons(
        engineer({ coverage: { regions: ['DE'], radiusKm: null } }),
        need({ region: 'DE-BY' }),
      ),
    ).toEqual([]);
    // a subdivision does not cover its country
    expect(reasons(engineer(), need({ region: 'DE' }))).toEqual(['OUTSIDE_COVERAGE']);
    // no coverage recorded: nothing covered
    expect(reasons(engineer({ coverage: null }), need())).toEqual(['OUTSIDE_COVERAGE']);
  });

  it('a location 1 km beyond the radius excludes; 1 km inside includes (great-circle distance)', () => {
    const at = (km: number) => need({ region: 'DE-BY', location: north(km) });
    const beyond = eligibility(engineer(), at(26));
    expect(beyond.eligible).toBe(false);
    expect(beyond.exclusions).toEqual([
      { reason: 'OUTSIDE_COVERAGE', detail: 'region DE-BY not covered; 26.0 km > radius 25 km' },
    ]);
    const inside = eligibility(engineer(), at(24));
    expect(inside.eligible).toBe(true);
    expect(inside.distanceKm).toBeCloseTo(24, 6);
    // the region alone is enough when covered, whatever the distance
    expect(reasons(engineer(), need({ location: north(500) }))).toEqual([]);
    // a location with no radius or no home: only the region can cover
    expect(
      reasons(
        engineer({ coverage: { regions: [], radiusKm: null } }),
        need({ region: null, location: north(1) }),
      ),
    ).toEqual(['OUTSIDE_COVERAGE']);
    expect(reasons(engineer({ home: null }), need({ region: null, location: north(1) }))).toEqual([
      'OUTSIDE_COVERAGE',
    ]);
  });

  it('names every rule that fails, not only the first', () => {
    expect(
      reasons(
        engineer({ status: 'INACTIVE', memberships: [], skills: [], coverage: null }),
        need(),
      ),
    ).toEqual(['INACTIVE', 'NOT_A_MEMBER', 'MISSING_SKILL', 'OUTSIDE_COVERAGE']);
  });
});

describe('geometry', () => {
  it('measures great-circle distances', () => {
    // a degree along the equator, and a quarter of a meridian
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBeCloseTo(111.195, 3);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 90, lng: 0 })).toBeCloseTo(10007.557, 2);
    expect(distanceKm(KOELN, KOELN)).toBe(0);
  });

  it('a bounding box holds every point within the distance', () => {
    for (const lat of [0, 50, 80]) {
      const box = boundingBox({ lat, lng: 10 }, 100);
      for (let bearing = 0; bearing < 360; bearing += 15) {
        // a point 99.9 km away at this bearing (spherical destination formula)
        const d = 99.9 / 6371.0088;
        const b = (bearing * Math.PI) / 180;
        const φ1 = (lat * Math.PI) / 180;
        const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(b));
        const λ2 =
          (10 * Math.PI) / 180 +
          Math.atan2(
            Math.sin(b) * Math.sin(d) * Math.cos(φ1),
            Math.cos(d) - Math.sin(φ1) * Math.sin(φ2),
          );
        const p = { lat: (φ2 * 180) / Math.PI, lng: (λ2 * 180) / Math.PI };
        expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
        expect(p.lat).toBeLessThanOrEqual(box.maxLat);
        expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
        expect(p.lng).toBeLessThanOrEqual(box.maxLng);
      }
    }
    expect(boundingBox({ lat: 0, lng: 179.9 }, 100)).toMatchObject({ minLng: -180, maxLng: 180 });
  });

  it('a region is covered by itself and its country', () => {
    expect(regionsCovering('US-CA')).toEqual(['US-CA', 'US']);
    expect(regionsCovering('DE')).toEqual(['DE']);
  });
});
