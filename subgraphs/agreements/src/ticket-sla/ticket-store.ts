import { uuidsOnly } from '@trellis/kit';
import DataLoader from 'dataloader';
import type { AgreementsPrisma } from '../prisma.js';
import {
  type CompiledPolicy,
  compilePolicy,
  matches,
  type StatusChange,
  type TicketFacts,
} from '../sla/clock.js';
import type { SlaDefinition } from '../sla/dsl.js';
import { byPosition, versionAt } from '../sla-policies/rules.js';
import type { SlaPolicyRow } from '../sla-policies/sla-policy-store.js';

/** A ticket as agreements resolves it: a reference by id (service-policy owns its fields). */
export interface TicketRef {
  id: string;
}

/** A ticket's facts and status history as service-policy publishes them (`ticket_sla_v1`). */
export interface SlaTicket extends TicketFacts {
  id: string;
  manufacturerId: string | null;
  responsibleOrgId: string | null;
  createdAt: Date;
  history: StatusChange[];
}

/** A version of an SLA policy as the clocks use it. */
export interface PolicyVersion {
  version: number;
  position: number;
  validFrom: Date;
  validTo: Date | null;
  definition: unknown;
  createdAt: Date;
}

/**
 * A policy an ACTIVE (or expired) agreement applies, with the agreement's parties and window and
 * the policy's versions, oldest first.
 */
export interface Candidate {
  agreementId: string;
  agreementFrom: Date;
  agreementTo: Date | null;
  partyOrgIds: string[];
  policy: SlaPolicyRow;
  versions: PolicyVersion[];
}

const TICKET_COLUMNS = `id::text AS id, priority, issue_type AS "issueType", region,
  product_id::text AS "productId", manufacturer_id::text AS "manufacturerId",
  responsible_org_id::text AS "responsibleOrgId", created_at AS "createdAt", history`;

type RawTicket = Omit<SlaTicket, 'history'> & { history: [string, string][] };
const decodeTicket = (t: RawTicket): SlaTicket => ({
  ...t,
  createdAt: new Date(t.createdAt),
  history: t.history.map(([status, at]) => ({ status, at: new Date(at) })),
});

/** The tickets the reader may see, by id (the view is security_invoker). */
export const readTickets = async (prisma: AgreementsPrisma, ids: readonly string[]) =>
  (
    await prisma.$queryRawUnsafe<RawTicket[]>(
      `SELECT ${TICKET_COLUMNS} FROM service_policy.ticket_sla_v1 WHERE id = ANY($1::uuid[])`,
      uuidsOnly(ids),
    )
  ).map(decodeTicket);

/** Tickets whose clocks may still breach or warn: not yet RESOLVED or CLOSED (the scheduler's). */
export const readRunningTickets = async (prisma: AgreementsPrisma) =>
  (
    await prisma.$queryRawUnsafe<RawTicket[]>(
      `SELECT ${TICKET_COLUMNS} FROM service_policy.ticket_sla_v1
        WHERE responsible_org_id IS NOT NULL AND history->-1->>0 NOT IN ('RESOLVED', 'CLOSED')`,
    )
  ).map(decodeTicket);

/**
 * Every policy applied by an ACTIVE or EXPIRED agreement one of `orgIds` is a party of, with its
 * versions, in one statement (the reader's row policies apply: it sees the agreements it is a
 * party of).
 */
export async function readCandidates(
  prisma: AgreementsPrisma,
  orgIds: readonly string[],
): Promise<Candidate[]> {
  if (orgIds.length === 0) return [];
  const rows = await prisma.$queryRawUnsafe<
    (Omit<Candidate, 'policy' | 'versions'> & { policy: SlaPolicyRow; versions: PolicyVersion[] })[]
  >(
    `SELECT a.id::text AS "agreementId", a.valid_from AS "agreementFrom", a.valid_to AS "agreementTo",
            (SELECT array_agg(p.org_id::text ORDER BY p.org_id) FROM agreements.agreement_party p
              WHERE p.agreement_id = a.id) AS "partyOrgIds",
            json_build_object('id', s.id, 'orgId', s.org_id, 'name', s.name, 'position', s.position,
              'validFrom', s.valid_from, 'validTo', s.valid_to, 'definition', s.definition,
              'version', s.version, 'createdAt', s.created_at, 'updatedAt', s.updated_at) AS policy,
            -- a policy written without its history (raw SQL fixtures) runs under its content
            COALESCE((SELECT json_agg(json_build_object('version', v.version, 'position', v.position,
                'validFrom', v.valid_from, 'validTo', v.valid_to, 'definition', v.definition,
                'createdAt', v.created_at) ORDER BY v.version)
               FROM agreements.sla_policy_version v WHERE v.sla_policy_id = s.id),
              json_build_array(json_build_object('version', s.version, 'position', s.position,
                'validFrom', s.valid_from, 'validTo', s.valid_to, 'definition', s.definition,
                'createdAt', s.created_at))) AS versions
       FROM agreements.agreement a
       JOIN agreements.agreement_sla_policy l ON l.agreement_id = a.id
       JOIN agreements.sla_policy s ON s.id = l.sla_policy_id
      WHERE a.status IN ('ACTIVE', 'EXPIRED')
        AND EXISTS (SELECT 1 FROM agreements.agreement_party p
                     WHERE p.agreement_id = a.id AND p.org_id = ANY($1::uuid[]))`,
    uuidsOnly(orgIds),
  );
  return rows.map((r) => ({
    ...r,
    agreementFrom: new Date(r.agreementFrom),
    agreementTo: r.agreementTo && new Date(r.agreementTo),
    policy: {
      ...r.policy,
      validFrom: new Date(r.policy.validFrom),
      validTo: r.policy.validTo && new Date(r.policy.validTo),
      createdAt: new Date(r.policy.createdAt),
      updatedAt: new Date(r.policy.updatedAt),
    },
    versions: r.versions.map((v) => ({
      ...v,
      validFrom: new Date(v.validFrom),
      validTo: v.validTo && new Date(v.validTo),
      createdAt: new Date(v.createdAt),
    })),
  }));
}

const inWindow = (at: Date, from: Date, to: Date | null) => from <= at && (to === null || at < to);

/** A policy with the version a ticket runs under. */
interface Applied {
  policy: SlaPolicyRow;
  version: PolicyVersion;
}

/**
 * The policy a ticket runs under: among the candidates whose agreement binds the ticket's
 * responsible organization (and its manufacturer, when known) and, like the policy version in
 * force at the ticket's creation, was in force then, the first by position whose conditions
 * select the ticket. A later version of a policy leaves older tickets as they were.
 */
export function policyFor(
  ticket: SlaTicket,
  candidates: readonly Candidate[],
  compiled: (policyId: string, version: PolicyVersion) => CompiledPolicy,
): (Applied & { compiled: CompiledPolicy }) | null {
  const { responsibleOrgId, manufacturerId, createdAt } = ticket;
  if (!responsibleOrgId) return null;
  const applied = candidates
    .filter(
      (c) =>
        c.partyOrgIds.includes(responsibleOrgId) &&
        (!manufacturerId || c.partyOrgIds.includes(manufacturerId)) &&
        inWindow(createdAt, c.agreementFrom, c.agreementTo),
    )
    .map((c): Applied => ({ policy: c.policy, version: versionAt(c.versions, createdAt) }))
    .filter((a) => inWindow(createdAt, a.version.validFrom, a.version.validTo))
    .sort((a, b) =>
      byPosition(
        { id: a.policy.id, position: a.version.position },
        { id: b.policy.id, position: b.version.position },
      ),
    );
  for (const a of applied) {
    const c = compiled(a.policy.id, a.version);
    if (matches(c.definition, ticket)) return { ...a, compiled: c };
  }
  return null;
}

/** A ticket with the policy (and its version) it runs under. */
export interface TicketSlaRow extends Applied {
  ticket: SlaTicket;
  compiled: CompiledPolicy;
}

/** Compiled policies kept across requests (a version's definition never changes). */
const COMPILED_KEPT = 200;
const compiledPolicies = new Map<string, CompiledPolicy>();

/**
 * Compiles each policy version once per process (its calendar's days are then shared by every
 * ticket and request it clocks); the least recently used go beyond COMPILED_KEPT.
 */
export function compiledPolicy(policyId: string, version: PolicyVersion): CompiledPolicy {
  const key = `${policyId}:${version.version}`;
  let c = compiledPolicies.get(key);
  if (c) compiledPolicies.delete(key);
  else c = compilePolicy(version.definition as SlaDefinition);
  compiledPolicies.set(key, c);
  if (compiledPolicies.size > COMPILED_KEPT)
    compiledPolicies.delete(compiledPolicies.keys().next().value as string);
  return c;
}

/** Tickets and their candidate policies for a batch: two statements whatever its size. */
export async function ticketSlas(
  prisma: AgreementsPrisma,
  tickets: SlaTicket[],
): Promise<(TicketSlaRow | null)[]> {
  const orgs = [
    ...new Set(tickets.flatMap((t) => (t.responsibleOrgId ? [t.responsibleOrgId] : []))),
  ];
  const candidates = await readCandidates(prisma, orgs);
  return tickets.map((ticket) => {
    const found = policyFor(ticket, candidates, compiledPolicy);
    return found && { ticket, ...found };
  });
}

export function ticketSlaLoaders(prisma: AgreementsPrisma) {
  return {
    /** each ticket's SLA, by ticket id: one page, two statements */
    ticketSla: new DataLoader<string, TicketSlaRow | null>(async (ids) => {
      const tickets = await readTickets(prisma, ids);
      const slas = await ticketSlas(prisma, tickets);
      const byId = new Map(slas.flatMap((s) => (s ? [[s.ticket.id, s] as const] : [])));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
