import { badInput, conflict, forbidden, isAdmin, notFound, sqlState } from '@trellis/kit';
import { defineCommand } from '../command.js';
import { candidatesFor } from '../eligibility/candidate-store.js';
import { eligibility } from '../eligibility/rules.js';
import type { WorkforceTx } from '../prisma.js';
import { insertAssignment } from './assignment-store.js';
import { assignEngineerArgs, ineligibleMessage, isAssignable } from './rules.js';
import { requirementOf } from './ticket-store.js';

/**
 * Moves the ticket to ASSIGNED in this transaction through service-policy's state machine
 * (`service_policy.mark_assigned_v1`: OPEN → ASSIGNED with its audit row and
 * ticket.status_changed events; ASSIGNED stays). It locks the ticket row until the transaction
 * ends, so assignments of one ticket run one after the other. Its refusals repeat what
 * authorize checked: here they mean the ticket changed meanwhile.
 */
async function markAssigned(tx: WorkforceTx, ticketId: string): Promise<string> {
  try {
    const [row] = await tx.$queryRawUnsafe<{ before: string }[]>(
      'SELECT service_policy.mark_assigned_v1($1::uuid) AS before',
      ticketId,
    );
    return row!.before;
  } catch (error) {
    if (sqlState(error) === 'P0001')
      throw conflict(`ticket ${ticketId} changed meanwhile and can no longer be assigned`);
    throw error;
  }
}

export const assignEngineer = defineCommand({
  name: 'assignEngineer',
  args: assignEngineerArgs,
  key: (data) => data.idempotencyKey,
  async authorize(ctx, { ticketId, engineerId, overrideReason }) {
    // row-level security on tickets (through the view): a ticket the caller cannot see is NOT_FOUND
    const ticket = await ctx.loaders.ticket.load(ticketId);
    if (!ticket) throw notFound('ticket', ticketId, 'ticketId');
    if (!isAdmin(ctx.caller) && ticket.responsibleOrgId !== ctx.caller.orgId)
      throw forbidden('only the organization responsible for the ticket (or admin) assigns to it');
    if (ticket.responsibleOrgId === null)
      throw badInput(
        'ticketId',
        `ticket ${ticketId} has no responsible organization to dispatch it`,
      );
    if (!isAssignable(ticket.status))
      throw badInput('ticketId', `a ${ticket.status} ticket cannot move to ASSIGNED`, {
        currentStatus: ticket.status,
      });
    const need = requirementOf(ticket, ticket.responsibleOrgId);
    // the engineer's facts at the ticket's time (row-level security: only engineers the caller sees)
    const [found] = await candidatesFor(ctx.prisma, need, engineerId);
    if (!found) throw notFound('engineer', engineerId, 'engineerId');
    const verdict = eligibility(found.candidate, need);
    const reasons = verdict.exclusions.map((e) => e.reason);
    if (!verdict.eligible && !overrideReason)
      throw badInput('engineerId', ineligibleMessage(engineerId, verdict.exclusions), { reasons });
    return { ticket, exclusions: verdict.exclusions };
  },
  async run(tx, { ticketId, engineerId, overrideReason }, { ticket, exclusions }, ctx) {
    const statusBefore = await markAssigned(tx, ticketId);
    const override = exclusions.length > 0;
    const assignment = await insertAssignment(tx, {
      ticketId,
      engineerId,
      orgId: ticket.responsibleOrgId!,
      override,
      // a reason given for an eligible engineer explains nothing: kept only for an override
      overrideReason: override ? overrideReason! : null,
      assignedBy: ctx.caller.subject,
    });
    return {
      result: assignment,
      audit: {
        action: override ? 'engineer.assign_override' : 'engineer.assign',
        objectType: 'EngineerAssignment',
        objectId: assignment.id,
        after: { ...assignment, exclusions, ticketStatusBefore: statusBefore },
      },
      events: [
        {
          type: 'engineer.assigned',
          aggregateType: 'Ticket',
          aggregateId: ticketId,
          orgId: assignment.orgId,
          payload: {
            ticketId,
            engineerId,
            assignmentId: assignment.id,
            override,
            reasons: exclusions.map((e) => e.reason),
          },
        },
      ],
    };
  },
  onDuplicate: (data) =>
    conflict(`engineer ${data.engineerId} is already assigned to ticket ${data.ticketId}`),
});
