import { type Page, pageQuery } from '@trellis/kit';
import type { OutboxEvent, Prisma } from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma } from '../prisma.js';
import type { EventListScope } from './rules.js';

export type EventRow = OutboxEvent;

/** The SQL filter of a list scope and an optional exact event type. */
export function eventWhere(
  scope: EventListScope,
  type?: string | null,
): Prisma.OutboxEventWhereInput {
  return {
    ...(scope.orgId ? { orgId: scope.orgId } : {}),
    ...(type ? { type } : {}),
  };
}

export async function listEvents(
  prisma: AgreementsPrisma,
  page: Page,
  scope: EventListScope,
  type?: string | null,
) {
  const where = eventWhere(scope, type);
  const [rows, total] = await Promise.all([
    prisma.outboxEvent.findMany(pageQuery(page, where)),
    prisma.outboxEvent.count({ where }),
  ]);
  return { rows, total };
}
