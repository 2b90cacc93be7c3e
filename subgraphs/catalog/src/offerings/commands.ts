import { badInput, notFound, requireActsFor, requireReferences } from '@trellis/kit';
import { z } from 'zod';
import { countedAs } from '../catalogs/metrics.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { alreadyOffered } from './errors.js';
import { lockOffering, offeringIdOf } from './offering-store.js';
import {
  applyDraftUpdate,
  createOfferingInput,
  sameContent,
  sellerProblem,
  updateOfferingDraftInput,
} from './rules.js';

/** The offering, its seller's to change (`requireActsFor`). */
async function sellersOffering(ctx: Context, id: string) {
  const offering = await ctx.loaders.offering.load(id);
  if (!offering) throw notFound('offering', id, 'id');
  requireActsFor(ctx.caller, offering.sellerOrgId);
  return offering;
}

export const createOffering = defineCommand({
  name: 'createOffering',
  args: z.object({ input: createOfferingInput }),
  async authorize(ctx, { input }) {
    const [seller, sku] = await Promise.all([
      ctx.loaders.organizationView.load(input.sellerOrgId),
      ctx.loaders.sku.load(input.skuId),
    ]);
    const problem = sellerProblem(seller);
    if (problem === 'no such organization')
      throw notFound('organization', input.sellerOrgId, 'input.sellerOrgId');
    if (problem) throw badInput('input.sellerOrgId', problem);
    if (!sku) throw notFound('SKU', input.skuId, 'input.skuId');
    requireActsFor(ctx.caller, input.sellerOrgId);
    return { seller: seller!, sku };
  },
  async run(tx, { input }, { sku }) {
    // the organization may have changed since it was read: checked again in the transaction
    await requireReferences(tx, [
      {
        view: 'org_graph.organization_v1',
        id: input.sellerOrgId,
        what: 'organization',
        field: 'input.sellerOrgId',
      },
    ]);
    const offering = await tx.offering.create({
      data: {
        sellerOrgId: input.sellerOrgId,
        skuId: sku.id,
        draftName: input.name,
        draftDescription: input.description ?? null,
        draftTerms: (input.terms ?? {}) as object,
      },
    });
    return {
      result: offering,
      audit: {
        action: 'offering.create',
        objectType: 'Offering',
        objectId: offering.id,
        after: offering,
      },
    };
  },
  onDuplicate: async ({ input }, ctx, { seller, sku }) =>
    alreadyOffered(seller, sku, await offeringIdOf(ctx.prisma, input.sellerOrgId, sku.id)),
});

export const updateOfferingDraft = defineCommand({
  name: 'updateOfferingDraft',
  // an id that is no offering's is NOT_FOUND (the loader reads only UUIDs)
  args: z.object({ id: z.string(), input: updateOfferingDraftInput }),
  authorize: (ctx, { id }) => sellersOffering(ctx, id),
  async run(tx, { id, input }) {
    const before = await lockOffering(tx, id);
    // description: null clears it; left out, it stays
    const draft = applyDraftUpdate(before, input, {
      description: Object.hasOwn(input, 'description'),
    });
    const after = await tx.offering.update({
      where: { id },
      data: {
        draftName: draft.name,
        draftDescription: draft.description,
        draftTerms: draft.terms as object,
      },
    });
    return {
      result: after,
      audit: {
        action: 'offering.draft.update',
        objectType: 'Offering',
        objectId: id,
        before: { name: before.name, description: before.description, terms: before.terms },
        after: draft,
      },
    };
  },
  onWritten: (ctx, _offering, { id }) => ctx.loaders.offering.clear(id),
});

const publishCounting = countedAs('publishOffering');

export const publishOffering = defineCommand({
  name: 'publishOffering',
  args: z.object({ id: z.string(), idempotencyKey: z.string().nullish() }),
  authorize: (ctx, { id }) => sellersOffering(ctx, id),
  async run(tx, { id }, offering, ctx) {
    // the offering row is locked: concurrent publishes of one offering take turns
    const current = await lockOffering(tx, id);
    const latest = current.latestVersion
      ? await tx.offeringVersion.findUniqueOrThrow({
          where: { offeringId_version: { offeringId: id, version: current.latestVersion } },
        })
      : null;
    if (latest && sameContent(current, latest)) return { result: latest, unchanged: true };
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
    await tx.offering.update({ where: { id }, data: { latestVersion: next, status: 'PUBLISHED' } });
    return {
      result: row,
      audit: {
        action: 'offering.publish',
        objectType: 'Offering',
        objectId: id,
        before: { version: current.latestVersion },
        after: { version: next, offeringVersionId: row.id },
      },
      events: [
        {
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
        },
      ],
    };
  },
  key: (args) => args.idempotencyKey,
  onWritten(ctx, _version, { id }) {
    ctx.loaders.offering.clear(id);
    publishCounting.onWritten(ctx);
  },
  onError: publishCounting.onError,
});
