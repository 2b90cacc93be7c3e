import type { EngineerRow } from '../engineers/engineer-store.js';
import { MAX_RADIUS_KM } from '../engineers/rules.js';
import type { WorkforcePrisma } from '../prisma.js';
import { boundingBox, type Candidate, type Requirement, regionsCovering } from './rules.js';

interface CandidateRow extends EngineerRow {
  regions: string[] | null;
  radiusKm: number | null;
  skills: { code: string; level: number; certifiedUntil: string | null }[];
  memberships: { orgId: string; validFrom: string; validTo: string | null }[];
  workload: number;
}

const ENGINEER_COLUMNS = `e.id::text AS id, e.display_name AS "displayName", e.email, e.phone,
  e.status::text AS status, e.home_lat AS "homeLat", e.home_lng AS "homeLng",
  e.created_by_org_id::text AS "createdByOrgId", e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

/** `alias`'s dated row is in force at $1 */
const inForce = (alias: string) =>
  `${alias}.valid_from <= $1 AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > $1)`;

/**
 * The engineers that may meet `need`, with the facts the rules judge (skills asked for,
 * memberships in the organization, the coverage in force, open assignments): ONE statement
 * whatever the number of engineers or skills. Each rule is a set of ids read through its index —
 * required skills through (code, level, certified_until), the organization through (org_id,
 * engineer_id), the region through the GIN index on coverage regions, a location through a
 * bounding box on (home_lat, home_lng) sized for the largest radius allowed — intersected
 * before any engineer row is read; `eligibility` (rules.ts) decides on what comes back, with
 * the exact great-circle distance. Workload counts the assignments on tickets (published view
 * `service_policy.ticket_v1`, the reader's ticket policies applying) not yet RESOLVED/CLOSED.
 *
 * With `only`, the facts of that one engineer whatever the rules say (an assignment explains
 * why it is ineligible): the rules then narrow nothing.
 */
export async function candidatesFor(
  prisma: WorkforcePrisma,
  need: Requirement,
  only?: string,
): Promise<{ candidate: Candidate; row: EngineerRow }[]> {
  const params: unknown[] = [need.at];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  // each rule is a set of engineer ids read through its index; the candidates are their
  // intersection, materialized first so the engineers' rows are then read by primary key
  const sets: string[] = [];
  const org = need.orgId === null ? null : param(need.orgId, 'uuid');
  if (only !== undefined) sets.push(`SELECT ${param(only, 'uuid')} AS engineer_id`);
  else if (org)
    sets.push(`SELECT m.engineer_id FROM workforce.engineer_membership m
      WHERE m.org_id = ${org} AND ${inForce('m')}`);
  for (const skill of only === undefined ? need.skills : []) {
    sets.push(`SELECT s.engineer_id FROM workforce.engineer_skill s
      WHERE s.code = ${param(skill.code, 'text')} AND s.level >= ${param(skill.level, 'int')}
        AND (s.certified_until IS NULL OR s.certified_until > $1) AND ${inForce('s')}`);
  }
  const covers: string[] = [];
  if (need.region !== null && only === undefined)
    covers.push(`SELECT c.engineer_id FROM workforce.engineer_coverage c
      WHERE c.regions && ${param(regionsCovering(need.region), 'text[]')} AND ${inForce('c')}`);
  if (need.location !== null && only === undefined) {
    const box = boundingBox(need.location, MAX_RADIUS_KM);
    covers.push(`SELECT e.id AS engineer_id FROM workforce.engineer e
      WHERE e.home_lat BETWEEN ${param(box.minLat, 'float8')} AND ${param(box.maxLat, 'float8')}
        AND e.home_lng BETWEEN ${param(box.minLng, 'float8')} AND ${param(box.maxLng, 'float8')}`);
  }
  if (covers.length) sets.push(covers.join('\n UNION '));
  // every set answers `engineer_id`: the first one names the intersection's column
  if (sets.length === 0) sets.push('SELECT e.id AS engineer_id FROM workforce.engineer e');
  const skillCodes = param(
    need.skills.map((s) => s.code),
    'text[]',
  );
  const rows = await prisma.$queryRawUnsafe<CandidateRow[]>(
    `WITH candidate AS MATERIALIZED (${sets.map((set) => `(${set})`).join('\n INTERSECT ')})
     SELECT ${ENGINEER_COLUMNS}, c.regions, c.radius_km AS "radiusKm",
       COALESCE((SELECT json_agg(json_build_object('code', s.code, 'level', s.level, 'certifiedUntil', s.certified_until))
                   FROM workforce.engineer_skill s
                  WHERE s.engineer_id = e.id AND s.code = ANY(${skillCodes}) AND ${inForce('s')}), '[]') AS skills,
       COALESCE((SELECT json_agg(json_build_object('orgId', m.org_id, 'validFrom', m.valid_from, 'validTo', m.valid_to))
                   FROM workforce.engineer_membership m
                  WHERE m.engineer_id = e.id${org ? ` AND m.org_id = ${org}` : ''}), '[]') AS memberships,
       (SELECT count(*)::int FROM workforce.engineer_assignment a
          JOIN service_policy.ticket_v1 t ON t.id = a.ticket_id
         WHERE a.engineer_id = e.id AND t.status NOT IN ('RESOLVED', 'CLOSED')) AS workload
     FROM candidate
     JOIN workforce.engineer e ON e.id = candidate.engineer_id
     LEFT JOIN workforce.engineer_coverage c ON c.engineer_id = e.id AND ${inForce('c')}
     ${only === undefined ? `WHERE e.status = 'ACTIVE'` : ''}`,
    ...params,
  );
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return rows.map(({ regions, radiusKm, skills, memberships, workload, ...row }) => ({
    row: { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) },
    candidate: {
      id: row.id,
      status: row.status,
      home:
        row.homeLat === null || row.homeLng === null
          ? null
          : { lat: row.homeLat, lng: row.homeLng },
      memberships: memberships.map((m) => ({
        orgId: m.orgId,
        validFrom: new Date(m.validFrom),
        validTo: date(m.validTo),
      })),
      skills: skills.map((s) => ({
        code: s.code,
        level: s.level,
        certifiedUntil: date(s.certifiedUntil),
      })),
      coverage: regions === null && radiusKm === null ? null : { regions: regions ?? [], radiusKm },
      workload,
    },
  }));
}
