import {
  badInput,
  conflict,
  emitEvent,
  idOf,
  isAdmin,
  notFound,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  requireReferences,
  toConnection,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { failureReason, publishCounter, publishFailureCounter } from '../catalogs/metrics.js';
import { type Context, SCHEMA } from '../context.js';
import { listOfferings, lockOffering, type OfferingRow, type OfferingVersionRow } from './data.js';
import {
  applyDraftUpdate,
  createOfferingInput,
  sameContent,
  sellerProblem,
  updateOfferingDraftInput,
} from './rules.js';

const draftOf = (o: OfferingRow) => ({
  name: o.draftName,
  description: o.draftDescription,
  terms: o.draftTerms,
});

async function offeringOrFail(ctx: Context, id: string) {
  const offering = await ctx.loaders.offering.load(id);
  if (!offering) throw notFound('offering', id, 'id');
  return offering;
}

export const offeringResolvers: Resolvers = {
  Query: {
    async offerings(_, args, ctx) {
      const page = pageOf(args);
      const filter = parseInput(
        z.object({
          sellerId: idOf('an organization').nullish(),
          skuId: idOf('a SKU').nullish(),
        }),
        args,
        '',
      );
      const { rows, total } = await listOfferings(ctx.prisma, page, filter);
      return toConnection(rows, page, total);
    },
    offering: (_, { id }, ctx) => ctx.loaders.offering.load(id),
  },
  Mutation: {
    async createOffering(_, { input }, ctx) {
      const data = parseInput(createOfferingInput, input);
      const [seller, sku] = await Promise.all([
        ctx.loaders.organizationView.load(data.sellerOrgId),
        ctx.loaders.sku.load(data.skuId),
      ]);
      const problem = sellerProblem(seller);
      if (problem === 'no such organization')
        throw notFound('organization', data.sellerOrgId, 'input.sellerOrgId');
      if (problem) throw badInput('input.sellerOrgId', problem);
      if (!sku) throw notFound('SKU', data.skuId, 'input.skuId');
      requireActsFor(ctx.caller, data.sellerOrgId);
      return onDuplicate(
        writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'createOffering', key: data.idempotencyKey, input },
          async (tx) => {
            await requireReferences(tx, [
              {
                view: 'org_graph.organization_v1',
                id: data.sellerOrgId,
                what: 'organization',
                field: 'input.sellerOrgId',
              },
            ]);
            const offering = await tx.offering.create({
              data: {
                sellerOrgId: data.sellerOrgId,
                skuId: sku.id,
                draftName: data.name,
                draftDescription: data.description ?? null,
                draftTerms: (data.terms ?? {}) as object,
              },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'offering.create',
              objectType: 'Offering',
              objectId: offering.id,
              after: offering,
            });
            return offering;
          },
        ),
        async () => {
          const existing = await ctx.prisma.offering.findFirst({
            where: { sellerOrgId: data.sellerOrgId, skuId: sku.id },
            select: { id: true },
          });
          return conflict(
            `${seller!.name} already offers SKU ${sku.code} (offering ${existing?.id}); edit its draft instead`,
            { field: 'input.skuId', offeringId: existing?.id },
          );
        },
      );
    },

    async updateOfferingDraft(_, { id, input }, ctx) {
      const data = parseInput(updateOfferingDraftInput, input);
      const offering = await offeringOrFail(ctx, id);
      requireActsFor(ctx.caller, offering.sellerOrgId);
      const descriptionGiven = Object.hasOwn(input, 'description');
      const updated = await writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'updateOfferingDraft', key: data.idempotencyKey, input: { id, input } },
        async (tx) => {
          const before = await lockOffering(tx, id);
          const draft = applyDraftUpdate(before, data, { description: descriptionGiven });
          const after = await tx.offering.update({
            where: { id },
            data: {
              draftName: draft.name,
              draftDescription: draft.description,
              draftTerms: draft.terms as object,
            },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'offering.draft.update',
            objectType: 'Offering',
            objectId: id,
            before: { name: before.name, description: before.description, terms: before.terms },
            after: draft,
          });
          return after;
        },
      );
      ctx.loaders.offering.clear(id);
      return updated;
    },

    async publishOffering(_, { id, idempotencyKey }, ctx) {
      try {
        const offering = await offeringOrFail(ctx, id);
        requireActsFor(ctx.caller, offering.sellerOrgId);
        let created = false;
        const version = await writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'publishOffering', key: idempotencyKey, input: { id } },
          async (tx): Promise<OfferingVersionRow> => {
            // the offering row is locked: concurrent publishes of one offering take turns
            const current = await lockOffering(tx, id);
            const latest = current.latestVersion
              ? await tx.offeringVersion.findUniqueOrThrow({
                  where: { offeringId_version: { offeringId: id, version: current.latestVersion } },
                })
              : null;
            if (latest && sameContent(current, latest)) return latest;
            const next = (current.latestVersion ?? 0) + 1;
            const row = await tx.offeringVersion.create({
              data: {
                offeringId: id,
                version: next,
                name: current.name,
                description: current.description,
                terms: (current.terms ?? {}) as object,
                publishedBy: ctx.caller.subject,
              },
            });
            await tx.offering.update({
              where: { id },
              data: { latestVersion: next, status: 'PUBLISHED' },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'offering.publish',
              objectType: 'Offering',
              objectId: id,
              before: { version: current.latestVersion },
              after: { version: next, offeringVersionId: row.id },
            });
            await emitEvent(tx, ctx, {
              type: 'offering.published',
              aggregateType: 'Offering',
              aggregateId: id,
              orgId: offering.sellerOrgId,
              payload: {
                offeringId: id,
                offeringVersionId: row.id,
                version: next,
                sellerOrgId: offering.sellerOrgId,
                skuId: offering.skuId,
                publishedAt: row.publishedAt,
              },
            });
            created = true;
            return row;
          },
        );
        if (created) publishCounter(ctx.metrics).inc({ operation: 'publishOffering' });
        ctx.loaders.offering.clear(id);
        return version;
      } catch (e) {
        publishFailureCounter(ctx.metrics).inc({
          operation: 'publishOffering',
          reason: failureReason(e),
        });
        throw e;
      }
    },
  },

  Offering: {
    __resolveReference: (ref, ctx) => ctx.loaders.offering.load(ref.id),
    seller: (o) => ({ id: o.sellerOrgId }),
    sku: (o, _, ctx) => ctx.loaders.sku.loadRequired(o.skuId),
    draft: (o, _, ctx) =>
      isAdmin(ctx.caller) || ctx.caller.orgId === o.sellerOrgId
        ? { ...draftOf(o), updatedAt: o.updatedAt }
        : null,
    hasUnpublishedChanges: async (o, _, ctx) => {
      if (!o.latestVersion) return true;
      const latest = await ctx.loaders.offeringVersionByNumber.load(o.id, o.latestVersion);
      return !sameContent(draftOf(o), latest);
    },
    versions: (o, _, ctx) => ctx.loaders.versionsOfOffering.load(o.id),
    version: (o, { version }, ctx) => ctx.loaders.offeringVersionByNumber.load(o.id, version),
  },

  OfferingVersion: {
    __resolveReference: (ref, ctx) => ctx.loaders.offeringVersion.load(ref.id),
    offering: (v, _, ctx) => ctx.loaders.offering.loadRequired(v.offeringId),
  },
};
