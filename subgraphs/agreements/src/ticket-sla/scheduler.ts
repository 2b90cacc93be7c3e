import { randomUUID } from 'node:crypto';
import { emitEvent, type PeriodicWorker, type SubgraphDeps, startPeriodic } from '@trellis/kit';
import { runAsSystem } from '@trellis/prisma';
import { type AgreementsPrisma, createPrisma } from '../prisma.js';
import { clockTicket } from '../sla/clock.js';
import { breachCounter } from './metrics.js';
import { readRunningTickets, ticketSlas } from './ticket-store.js';

/** One `sla.warning` or `sla.breached` a pass announced. */
export interface SlaNotice {
  ticketId: string;
  metric: string;
  kind: 'WARNING' | 'BREACHED';
  dueAt: Date;
  slaPolicyId: string;
  priority: string;
}

/**
 * One pass of the breach scheduler: clocks every ticket not yet RESOLVED or CLOSED at `now`
 * (default: the process's clock) and announces each metric that passed its warning share
 * (`sla.warning`) or its due time (`sla.breached`) without its event. The claim is an insert
 * into `sla_notice` (primary key: ticket, metric, kind) in the events' transaction, so with
 * several replicas each notice — and its event — is written exactly once: a concurrent claimer
 * waits on the key, then skips it (ON CONFLICT DO NOTHING).
 */
export async function emitDueSlaEvents(
  prisma: AgreementsPrisma,
  now: Date = new Date(),
): Promise<SlaNotice[]> {
  // a platform job: it clocks every organization's tickets
  return runAsSystem('sla-scheduler', async () => {
    const slas = await ticketSlas(prisma, await readRunningTickets(prisma));
    const due: (SlaNotice & { orgIds: string[] })[] = [];
    for (const sla of slas) {
      if (!sla) continue;
      const { ticket, policy } = sla;
      const orgIds = [...new Set([ticket.responsibleOrgId, ticket.manufacturerId])].filter(
        (o): o is string => o !== null,
      );
      for (const c of clockTicket(sla.compiled, ticket.history, now)) {
        const notice = {
          ticketId: ticket.id,
          metric: c.metric,
          slaPolicyId: policy.id,
          priority: ticket.priority,
          orgIds,
        };
        const before = (at: Date) => c.achievedAt !== null && c.achievedAt <= at;
        if (now >= c.warningAt && !before(c.warningAt))
          due.push({ ...notice, kind: 'WARNING', dueAt: c.warningAt });
        if (c.breached) due.push({ ...notice, kind: 'BREACHED', dueAt: c.dueAt });
      }
    }
    if (due.length === 0) return [];
    return prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRawUnsafe<
        { ticketId: string; metric: string; kind: string }[]
      >(
        `INSERT INTO "agreements"."sla_notice" (ticket_id, metric, kind, due_at, sla_policy_id, priority, org_ids)
         SELECT t, m, k, d, s, p, string_to_array(o, ',')::uuid[]
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::text[], $7::text[]) AS n(t, m, k, d, s, p, o)
         ON CONFLICT DO NOTHING
         RETURNING ticket_id::text AS "ticketId", metric, kind`,
        due.map((d) => d.ticketId),
        due.map((d) => d.metric),
        due.map((d) => d.kind),
        due.map((d) => d.dueAt.toISOString()),
        due.map((d) => d.slaPolicyId),
        due.map((d) => d.priority),
        due.map((d) => d.orgIds.join(',')),
      );
      const won = new Set(claimed.map((c) => `${c.ticketId} ${c.metric} ${c.kind}`));
      const ctx = { requestId: `sla-scheduler:${randomUUID()}` };
      const announced: SlaNotice[] = [];
      for (const { orgIds, ...d } of due) {
        if (!won.has(`${d.ticketId} ${d.metric} ${d.kind}`)) continue;
        for (const orgId of orgIds)
          await emitEvent(tx, ctx, {
            type: d.kind === 'BREACHED' ? 'sla.breached' : 'sla.warning',
            aggregateType: 'Ticket',
            aggregateId: d.ticketId,
            orgId,
            payload: {
              ticketId: d.ticketId,
              metric: d.metric,
              dueAt: d.dueAt.toISOString(),
              slaPolicyId: d.slaPolicyId,
              priority: d.priority,
            },
          });
        announced.push(d);
      }
      return announced;
    });
  });
}

/**
 * Runs `emitDueSlaEvents` every `intervalMs` (default 30 s). Safe to start in every replica
 * (each notice is claimed once). Answers `stop()`, which waits for a pass under way.
 */
export function startSlaScheduler(
  deps: SubgraphDeps,
  options: { intervalMs?: number } = {},
): PeriodicWorker {
  const prisma = createPrisma(deps.db);
  const logger = deps.logger.child({ worker: 'sla-scheduler' });
  const breaches = breachCounter(deps.metrics);
  return startPeriodic({
    name: 'SLA scheduler',
    intervalMs: options.intervalMs ?? 30_000,
    logger,
    async pass() {
      for (const n of await emitDueSlaEvents(prisma)) {
        if (n.kind === 'BREACHED') breaches.inc({ metric: n.metric, priority: n.priority });
        logger.info(
          { ticketId: n.ticketId, metric: n.metric, kind: n.kind },
          'SLA notice announced',
        );
      }
    },
    close: () => prisma.$disconnect(),
  });
}
