import type { Metrics } from '@trellis/kit';
import { policiesInForce } from '../policies/policy-store.js';
import type { ServicePolicyTx } from '../prisma.js';
import { readNetwork } from './network-store.js';
import {
  chainReach,
  type Decision,
  decideResponsibility,
  selectPolicy,
  type TicketFacts,
} from './rules.js';

/**
 * Decides a ticket's responsible organization inside the ticket's transaction: the
 * manufacturer's policies in force (one statement), the policy that applies, then the network
 * its chain can reach (one statement). Three statements with the SKU's, whatever the network.
 */
export async function decideInTransaction(
  tx: ServicePolicyTx,
  ticket: TicketFacts,
  metrics: Metrics,
): Promise<Decision> {
  const started = process.hrtime.bigint();
  const policies = await policiesInForce(tx, ticket.manufacturerId, ticket.at);
  const policy = selectPolicy(ticket, policies);
  const { types, depth } = chainReach(policy?.chain ?? []);
  const network = policy
    ? await readNetwork(tx, {
        manufacturerId: ticket.manufacturerId,
        region: ticket.region,
        at: ticket.at,
        types,
        depth,
        defaultOrgId: policy.defaultOrgId,
        certification: policy.requiredCertification,
      })
    : { relationships: [], organizations: new Map(), certifications: [] };
  const decision = decideResponsibility(ticket, policy ? [policy] : [], network);
  recordDecision(metrics, decision, Number(process.hrtime.bigint() - started) / 1e9);
  return decision;
}

function recordDecision(metrics: Metrics, d: Decision, seconds: number) {
  metrics
    .histogram(
      'ticket_assignment_seconds',
      'Time to decide a ticket’s responsible organization',
      [],
    )
    .observe(seconds);
  metrics
    .counter('ticket_assignments_total', 'Responsibility decisions by the fallback used', [
      'fallback',
    ])
    .inc({ fallback: d.fallback });
  const steps = metrics.counter(
    'ticket_assignment_steps_total',
    'Chain steps tried in responsibility decisions, by role and outcome',
    ['role', 'outcome', 'reason'],
  );
  for (const s of d.steps) steps.inc({ role: s.role, outcome: s.outcome, reason: s.reason });
}
