import type { DomainEvent } from '@trellis/kit';
import { badInput, conflict, notFound, requireActsFor, requireReferences } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { decideInTransaction } from '../responsibility/decision.js';
import { readSkuSubject } from '../responsibility/network-store.js';
import {
  createTicketInput,
  nextStatuses,
  provenanceOf,
  transition,
  updateTicketStatusArgs,
} from './rules.js';
import type { TicketRow } from './ticket-store.js';

/** One event per organization concerned (reporter, manufacturer, responsible), each once. */
const eventsFor = (
  type: string,
  t: TicketRow,
  orgs: (string | null)[],
  payload: Record<string, unknown>,
): DomainEvent[] =>
  [...new Set(orgs.filter((o): o is string => o !== null))].map((orgId) => ({
    type,
    aggregateType: 'Ticket',
    aggregateId: t.id,
    orgId,
    payload: { ticketId: t.id, ...payload },
  }));

export const createTicket = defineCommand({
  name: 'createTicket',
  args: z.object({ input: createTicketInput }),
  authorize(ctx, { input }) {
    // a ticket is reported in the caller's own name (admin: any organization's)
    requireActsFor(ctx.caller, input.reportedByOrgId);
  },
  async run(tx, { input }, _, ctx) {
    const subject = await readSkuSubject(tx, input.skuId);
    if (!subject) throw notFound('SKU', input.skuId, 'input.skuId');
    await requireReferences(tx, [
      {
        view: 'org_graph.organization_v1',
        id: input.reportedByOrgId,
        what: 'organization',
        field: 'input.reportedByOrgId',
      },
    ]);
    const at = new Date();
    // tenant-scoped: decided for the manufacturer of the ticket's SKU
    const decision = (await ctx.flags.isEnabled(
      'ENABLE_RESP_ORG_ASSIGNMENT',
      subject.manufacturerId,
    ))
      ? await decideInTransaction(
          tx,
          {
            skuId: input.skuId,
            productId: subject.productId,
            manufacturerId: subject.manufacturerId,
            region: input.region,
            issueType: input.issueType,
            at,
          },
          ctx.metrics,
        )
      : null;
    const ticket = await tx.ticket.create({
      data: {
        skuId: input.skuId,
        productId: subject.productId,
        manufacturerId: subject.manufacturerId,
        region: input.region,
        lat: input.location?.lat ?? null,
        lng: input.location?.lng ?? null,
        issueType: input.issueType,
        priority: input.priority,
        reportedByOrgId: input.reportedByOrgId,
        requiredSkills: input.requiredSkills,
        responsibleOrgId: decision?.responsibleOrgId ?? null,
        policyId: decision?.policyId ?? null,
        policyVersion: decision?.policyVersion ?? null,
        provenance: decision ? provenanceOf(decision) : undefined,
        createdAt: at,
        updatedAt: at,
      },
    });
    const parties = [ticket.reportedByOrgId, ticket.manufacturerId];
    const created = eventsFor('ticket.created', ticket, parties, { status: ticket.status });
    return {
      result: ticket,
      // one row: the ticket as written holds the decision (responsible organization, policy
      // version, provenance), so the audit log keeps the assignment with its proof
      audit: { action: 'ticket.create', objectType: 'Ticket', objectId: ticket.id, after: ticket },
      events: decision
        ? [
            ...created,
            ...eventsFor(
              'ticket.responsibility_assigned',
              ticket,
              [...parties, decision.responsibleOrgId],
              { responsibleOrgId: decision.responsibleOrgId, provenance: provenanceOf(decision) },
            ),
          ]
        : created,
    };
  },
});

export const updateTicketStatus = defineCommand({
  name: 'updateTicketStatus',
  args: updateTicketStatusArgs,
  async authorize(ctx, { id, status }) {
    // row-level security shows a ticket to its parties and admin only: anyone else gets NOT_FOUND
    const ticket = await ctx.loaders.ticket.load(id);
    if (!ticket) throw notFound('ticket', id, 'id');
    const step = transition(ticket.status, status);
    if (step === 'SAME')
      throw conflict(`ticket ${id} is already ${status}`, { currentStatus: ticket.status });
    if (step === 'ILLEGAL')
      throw badInput(
        'status',
        `a ${ticket.status} ticket cannot move to ${status}; it can move to ${nextStatuses(ticket.status)}`,
        { currentStatus: ticket.status },
      );
    return ticket;
  },
  async run(tx, { status }, before) {
    // only from the status the decision was made on: a concurrent transition wins, this one is a conflict
    const moved = await tx.ticket.updateMany({
      where: { id: before.id, status: before.status },
      data: { status, updatedAt: new Date() },
    });
    if (moved.count === 0)
      throw conflict(
        `ticket ${before.id} changed meanwhile (it was ${before.status}); read it again`,
      );
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: before.id } });
    return {
      result: ticket,
      audit: {
        action: 'ticket.status',
        objectType: 'Ticket',
        objectId: ticket.id,
        before: { status: before.status },
        after: { status: ticket.status },
      },
      events: eventsFor(
        'ticket.status_changed',
        ticket,
        [ticket.reportedByOrgId, ticket.manufacturerId, ticket.responsibleOrgId],
        { from: before.status, to: ticket.status },
      ),
    };
  },
});
