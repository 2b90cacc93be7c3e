import { groupLoader, uuidsOnly } from '@trellis/kit';
import type { EngineerAssignment } from '@trellis/prisma/workforce/generated/client.ts';
import type { WorkforcePrisma, WorkforceTx } from '../prisma.js';

export type AssignmentRow = EngineerAssignment;

/** The assignments of tickets, oldest first (row-level security: whoever sees the ticket). */
export function assignmentLoaders(prisma: WorkforcePrisma) {
  return {
    assignmentsOf: groupLoader<string, AssignmentRow>(
      (ticketIds) =>
        prisma.engineerAssignment.findMany({
          where: { ticketId: { in: uuidsOnly(ticketIds) } },
          orderBy: [{ assignedAt: 'asc' }, { id: 'asc' }],
        }),
      (a) => a.ticketId,
    ),
  };
}

export const insertAssignment = (
  tx: WorkforceTx,
  data: Pick<
    AssignmentRow,
    'ticketId' | 'engineerId' | 'orgId' | 'override' | 'overrideReason' | 'assignedBy'
  >,
) => tx.engineerAssignment.create({ data });
