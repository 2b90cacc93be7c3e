import type { Metrics } from '@trellis/kit';
import type { ServicePolicyTx } from '../prisma.js';
import { readDecisionFacts } from './network-store.js';
import { type Decision, decideResponsibility, type TicketFacts } from './rules.js';

/**
 * Decides a ticket's responsible organization inside the ticket's transaction: one statement
 * reads the policies that match and the network their chains can reach, then the pure engine
 * selects the policy and walks its chain. Two statements with the SKU's, whatever the network.
 */
export async function decideInTransaction(
  tx: ServicePolicyTx,
  ticket: TicketFacts,
  metrics: Metrics,
): Promise<Decision> {
  const started = process.hrtime.bigint();
  const { policies, network } = await readDecisionFacts(tx, ticket);
  const decision = decideResponsibility(ticket, policies, network);
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
