import { isUuid, type Page, pageQuery, rowLoader } from '@trellis/kit';
import type { Prisma, Ticket } from '@trellis/prisma/service-policy/generated/client.ts';
import DataLoader from 'dataloader';
import type { ServicePolicyPrisma } from '../prisma.js';
import type { TicketStatus, TicketVisibilityWhere } from './rules.js';

export type TicketRow = Ticket;

/** Organizations (org-graph's) and SKUs (catalog's) are references by id in this slice. */
export interface TicketOwnerRef {
  id: string;
}

/** Whose tickets a page lists: an organization's (any party) or a SKU's. */
export type TicketOwnerKind = 'organization' | 'sku';

export interface TicketPageKey {
  kind: TicketOwnerKind;
  id: string;
  page: Page;
  status: TicketStatus | null;
}

const OWNER_MATCH: Record<TicketOwnerKind, string> = {
  organization: `(t."reported_by_org_id" = k.id OR t."responsible_org_id" = k.id OR t."manufacturer_id" = k.id)`,
  sku: `t."sku_id" = k.id`,
};

const pagingOf = (k: TicketPageKey) =>
  `${k.kind} ${k.page.take} ${k.page.afterId ?? ''} ${k.status ?? ''}`;
const pageKey = (k: TicketPageKey) => `${pagingOf(k)} ${k.id}`;

export function ticketLoaders(prisma: ServicePolicyPrisma) {
  const ticket = rowLoader<string, TicketRow>(
    (ids) => prisma.ticket.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
    (t) => t.id,
  );
  return {
    /** a ticket by id, among those the caller may see (row-level security) */
    ticket,
    /**
     * A page of each owner's tickets (row-level security keeps them to what the caller may see):
     * one statement for the ids and counts of every owner with the same paging, one for the rows.
     */
    ticketPage: new DataLoader<TicketPageKey, { rows: TicketRow[]; total: number }, string>(
      async (keys) => {
        const groups = new Map<string, TicketPageKey[]>();
        for (const k of keys) {
          groups.set(pagingOf(k), [...(groups.get(pagingOf(k)) ?? []), k]);
        }
        const found = new Map<string, { ids: string[]; total: number }>();
        for (const group of groups.values()) {
          const { kind, page, status } = group[0]!;
          const rows = await prisma.$queryRawUnsafe<{ id: string; ids: string[]; total: number }[]>(
            `SELECT k.id::text AS id,
               (SELECT count(*)::int FROM service_policy.ticket t
                WHERE ${OWNER_MATCH[kind]} AND ($2::text IS NULL OR t."status"::text = $2::text)) AS total,
               (SELECT COALESCE(array_agg(p.id::text ORDER BY p.id), '{}') FROM (
                  SELECT t.id FROM service_policy.ticket t
                  WHERE ${OWNER_MATCH[kind]} AND ($2::text IS NULL OR t."status"::text = $2::text)
                    AND ($3::uuid IS NULL OR t.id > $3::uuid)
                  ORDER BY t.id LIMIT $4::int) p) AS ids
             FROM unnest($1::uuid[]) AS k(id)`,
            group.map((k) => k.id),
            status,
            page.afterId,
            page.take + 1,
          );
          for (const r of rows) found.set(pageKey({ ...group[0]!, id: r.id }), r);
        }
        const allIds = [...new Set([...found.values()].flatMap((f) => f.ids))];
        const tickets = await ticket.loadMany(allIds);
        const byId = new Map(
          tickets.filter((t): t is TicketRow => !!t && !(t instanceof Error)).map((t) => [t.id, t]),
        );
        return keys.map((k) => {
          const f = found.get(pageKey(k));
          return {
            rows: (f?.ids ?? []).flatMap((id) => byId.get(id) ?? []),
            total: f?.total ?? 0,
          };
        });
      },
      { cacheKeyFn: pageKey },
    ),
  };
}

export interface TicketFilter {
  responsibleOrgId?: string | null;
  status?: TicketStatus | null;
}

/** A page of the tickets matching `visibility` (in the where-clause) and the filter. */
export async function listTickets(
  prisma: ServicePolicyPrisma,
  page: Page,
  visibility: TicketVisibilityWhere,
  filter: TicketFilter,
) {
  const where: Prisma.TicketWhereInput = {
    AND: [
      visibility,
      ...(filter.responsibleOrgId ? [{ responsibleOrgId: filter.responsibleOrgId }] : []),
      ...(filter.status ? [{ status: filter.status }] : []),
    ],
  };
  const [rows, total] = await Promise.all([
    prisma.ticket.findMany(pageQuery(page, where)),
    prisma.ticket.count({ where }),
  ]);
  return { rows, total };
}
