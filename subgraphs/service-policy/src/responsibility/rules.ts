// The responsibility engine: which organization answers a ticket, and the record of why.
// Pure: everything it needs is handed to it (the ticket, the manufacturer's policies, the slice
// of the network the chain can reach), so every decision can be replayed and unit-tested.
import type { OrgRole, PolicyDefinition } from '../policies/rules.js';

export const FALLBACKS = ['CHAIN', 'DEFAULT_ORG', 'MANUFACTURER', 'NO_POLICY'] as const;
export type Fallback = (typeof FALLBACKS)[number];

/** Why a step ended as it did; the first four are the stages a candidate can fail at, in order. */
export const STEP_REASONS = [
  'NO_RELATIONSHIP',
  'TERRITORY_MISMATCH',
  'INACTIVE',
  'CERTIFICATION_MISSING',
  'SELECTED',
] as const;
export type StepReason = (typeof STEP_REASONS)[number];
export const STEP_OUTCOMES = ['SELECTED', 'SKIPPED'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** The relationship an organization in a role has toward the previous step (or the manufacturer). */
export const ROLE_RELATIONSHIP = {
  DISTRIBUTOR: 'DISTRIBUTOR_OF',
  DEALER: 'DEALER_OF',
  SERVICE_PARTNER: 'SERVICE_PARTNER_OF',
} as const satisfies Record<Exclude<OrgRole, 'MANUFACTURER'>, string>;
export type RelationshipType = (typeof ROLE_RELATIONSHIP)[keyof typeof ROLE_RELATIONSHIP];

export interface TicketFacts {
  skuId: string;
  productId: string;
  manufacturerId: string;
  region: string;
  issueType: string;
  /** the time the decision is made for (the ticket's creation) */
  at: Date;
}

/** A policy's current version, as the engine matches it. */
export interface PolicyVersion extends Omit<PolicyDefinition, 'name'> {
  id: string;
  version: number;
}

/** The network facts a decision reads (org-graph's published views: ACTIVE relationships only). */
export interface NetworkFacts {
  relationships: {
    id: string;
    fromOrgId: string;
    toOrgId: string;
    type: string;
    /** region codes; empty: everywhere */
    territories: string[];
    validFrom: Date;
    validTo: Date | null;
  }[];
  /** organization id → status (ACTIVE, INACTIVE) */
  organizations: ReadonlyMap<string, string>;
  certifications: { orgId: string; code: string; validUntil: Date | null }[];
}

export interface ProvenanceStep {
  role: OrgRole;
  /** the selected organization, or the candidate that came closest; null without a candidate */
  orgId: string | null;
  outcome: StepOutcome;
  reason: StepReason;
  /** how many organizations held the role at this step */
  candidates: number;
}

export interface Decision {
  responsibleOrgId: string;
  policyId: string | null;
  policyVersion: number | null;
  fallback: Fallback;
  decidedAt: Date;
  steps: ProvenanceStep[];
}

/** `[from, to)`: from inclusive, to exclusive, open-ended without `to`. */
const inForce = (at: Date, from: Date, to: Date | null) => from <= at && (!to || at < to);

/**
 * How specifically a territory list covers a region: 2 for the region itself (`US-CA` covers
 * `US-CA`), 1 for its country (`US` covers `US` and every `US-…`), 0 for no limit (an empty
 * list covers everywhere); -1 when it does not cover it.
 */
export function coverage(territories: readonly string[], region: string): number {
  if (territories.length === 0) return 0;
  const country = region.split('-')[0]!;
  let best = -1;
  for (const t of territories) {
    if (t === region) best = Math.max(best, region.includes('-') ? 2 : 1);
    else if (!t.includes('-') && t === country) best = Math.max(best, 1);
  }
  return best;
}

const listMatches = <T>(list: readonly T[], value: T) => list.length === 0 || list.includes(value);

/** Whether a policy's own conditions and state let it apply to a ticket. */
export function policyApplies(policy: PolicyVersion, ticket: TicketFacts): boolean {
  const c = policy.conditions;
  return (
    policy.enabled &&
    inForce(ticket.at, policy.validFrom, policy.validTo) &&
    listMatches(c.productIds, ticket.productId) &&
    listMatches(c.skuIds, ticket.skuId) &&
    listMatches(c.issueTypes, ticket.issueType) &&
    (c.regions.length === 0 || coverage(c.regions, ticket.region) > 0)
  );
}

/**
 * The policy that decides a ticket: among those that apply, the highest priority, then the
 * latest start of validity, then the smallest id (first match wins; the others are not tried).
 */
export function selectPolicy(
  ticket: TicketFacts,
  policies: readonly PolicyVersion[],
): PolicyVersion | null {
  const applicable = policies.filter((p) => policyApplies(p, ticket));
  applicable.sort(
    (a, b) =>
      b.priority - a.priority ||
      b.validFrom.getTime() - a.validFrom.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return applicable[0] ?? null;
}

interface Candidate {
  orgId: string;
  /** coverage of the relationship's territories (MANUFACTURER: 0, it has none) */
  specificity: number;
  since: Date;
  /** how far it got: the reason it stopped at, or SELECTED */
  stage: Exclude<StepReason, 'NO_RELATIONSHIP'>;
}

const STAGE_RANK: Record<Candidate['stage'], number> = {
  TERRITORY_MISMATCH: 0,
  INACTIVE: 1,
  CERTIFICATION_MISSING: 2,
  SELECTED: 3,
};

/** Several hits at one step: the most specific territory, then the oldest relationship, then id. */
const candidateOrder = (a: Candidate, b: Candidate) =>
  b.specificity - a.specificity ||
  a.since.getTime() - b.since.getTime() ||
  (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0);

function holdsCertification(network: NetworkFacts, orgId: string, code: string | null, at: Date) {
  if (!code) return true;
  return network.certifications.some(
    (c) => c.orgId === orgId && c.code === code && (!c.validUntil || at < c.validUntil),
  );
}

function stageOf(
  network: NetworkFacts,
  orgId: string,
  specificity: number,
  certification: string | null,
  at: Date,
): Candidate['stage'] {
  if (specificity < 0) return 'TERRITORY_MISMATCH';
  if (network.organizations.get(orgId) !== 'ACTIVE') return 'INACTIVE';
  if (!holdsCertification(network, orgId, certification, at)) return 'CERTIFICATION_MISSING';
  return 'SELECTED';
}

/** The organizations holding `role` toward any of `anchors` at the ticket's time, one per org. */
function candidatesFor(
  role: OrgRole,
  anchors: ReadonlySet<string>,
  ticket: TicketFacts,
  certification: string | null,
  network: NetworkFacts,
): Candidate[] {
  if (role === 'MANUFACTURER') {
    const orgId = ticket.manufacturerId;
    const stage = stageOf(network, orgId, 0, certification, ticket.at);
    return [{ orgId, specificity: 0, since: new Date(0), stage }];
  }
  const type = ROLE_RELATIONSHIP[role];
  const best = new Map<string, Candidate>();
  for (const r of network.relationships) {
    if (r.type !== type || !anchors.has(r.toOrgId) || !inForce(ticket.at, r.validFrom, r.validTo))
      continue;
    const specificity = coverage(r.territories, ticket.region);
    const candidate: Candidate = {
      orgId: r.fromOrgId,
      specificity,
      since: r.validFrom,
      stage: stageOf(network, r.fromOrgId, specificity, certification, ticket.at),
    };
    // one organization reached through several relationships counts once, by its best one
    const seen = best.get(r.fromOrgId);
    if (
      !seen ||
      STAGE_RANK[candidate.stage] > STAGE_RANK[seen.stage] ||
      (STAGE_RANK[candidate.stage] === STAGE_RANK[seen.stage] &&
        candidateOrder(candidate, seen) < 0)
    )
      best.set(r.fromOrgId, candidate);
  }
  return [...best.values()].sort(candidateOrder);
}

/**
 * Whether the default organization may still be answered: active, and in an ACTIVE relationship
 * in force toward the manufacturer (both sides agreed to it). Otherwise the manufacturer answers.
 */
function defaultOrgUsable(orgId: string, ticket: TicketFacts, network: NetworkFacts): boolean {
  return (
    network.organizations.get(orgId) === 'ACTIVE' &&
    network.relationships.some(
      (r) =>
        r.fromOrgId === orgId &&
        r.toOrgId === ticket.manufacturerId &&
        inForce(ticket.at, r.validFrom, r.validTo),
    )
  );
}

/**
 * Decides who is responsible for a ticket. The policy is `selectPolicy`'s; its chain is walked
 * in order from the manufacturer: each role's candidates are the organizations in that
 * relationship toward the previous step's organizations (those that covered the region,
 * qualified or not), or toward the step before when that step reached nobody; the first
 * candidate that covers the region, is active and holds the required certification is
 * selected. No step selects anyone: the default organization, else the manufacturer.
 */
export function decideResponsibility(
  ticket: TicketFacts,
  policies: readonly PolicyVersion[],
  network: NetworkFacts,
): Decision {
  const decidedAt = ticket.at;
  const policy = selectPolicy(ticket, policies);
  if (!policy)
    return {
      responsibleOrgId: ticket.manufacturerId,
      policyId: null,
      policyVersion: null,
      fallback: 'NO_POLICY',
      decidedAt,
      steps: [],
    };
  const decided = (responsibleOrgId: string, fallback: Fallback, steps: ProvenanceStep[]) => ({
    responsibleOrgId,
    policyId: policy.id,
    policyVersion: policy.version,
    fallback,
    decidedAt,
    steps,
  });
  const steps: ProvenanceStep[] = [];
  let anchors: ReadonlySet<string> = new Set([ticket.manufacturerId]);
  for (const role of policy.chain) {
    const candidates = candidatesFor(role, anchors, ticket, policy.requiredCertification, network);
    if (candidates.length === 0) {
      steps.push({
        role,
        orgId: null,
        outcome: 'SKIPPED',
        reason: 'NO_RELATIONSHIP',
        candidates: 0,
      });
      continue;
    }
    const furthest = Math.max(...candidates.map((c) => STAGE_RANK[c.stage]));
    const closest = candidates.find((c) => STAGE_RANK[c.stage] === furthest)!;
    const selected = closest.stage === 'SELECTED';
    steps.push({
      role,
      orgId: closest.orgId,
      outcome: selected ? 'SELECTED' : 'SKIPPED',
      reason: closest.stage,
      candidates: candidates.length,
    });
    if (selected) return decided(closest.orgId, 'CHAIN', steps);
    const reached = candidates.filter((c) => c.specificity >= 0).map((c) => c.orgId);
    if (reached.length > 0) anchors = new Set(reached);
  }
  if (policy.defaultOrgId && defaultOrgUsable(policy.defaultOrgId, ticket, network))
    return decided(policy.defaultOrgId, 'DEFAULT_ORG', steps);
  return decided(ticket.manufacturerId, 'MANUFACTURER', steps);
}
