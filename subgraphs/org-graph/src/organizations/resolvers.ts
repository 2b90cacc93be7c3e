import {
  badInput,
  conflict,
  emitEvent,
  idOf,
  notFound,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  toConnection,
  userError,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import type { Prisma } from '@trellis/prisma/org-graph/generated/client.ts';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import {
  listOrganizations,
  lockRelationship,
  onOverlap,
  organizationOrFail,
  type RelationshipRow,
} from './data.js';
import {
  actorOf,
  canSeeRelationship,
  createOrganizationInput,
  createRelationshipInput,
  endingAt,
  initialRelationship,
  type RelationshipAction,
  relationshipProblem,
  relationshipTransition,
  shownStatus,
} from './rules.js';

const EVENT: Record<RelationshipAction, string> = {
  accept: 'relationship.accepted',
  decline: 'relationship.declined',
  end: 'relationship.ended',
};

/** One event for each party: each organization sees what concerns it in its own outbox. */
async function emitRelationshipEvent(
  tx: Prisma.TransactionClient,
  ctx: Context,
  type: string,
  rel: RelationshipRow,
) {
  const payload = {
    id: rel.id,
    type: rel.type,
    status: rel.status,
    fromOrgId: rel.fromOrgId,
    toOrgId: rel.toOrgId,
    validFrom: rel.validFrom,
    validTo: rel.validTo,
  };
  for (const orgId of [rel.fromOrgId, rel.toOrgId]) {
    await emitEvent(tx, ctx, {
      type,
      aggregateType: 'OrgRelationship',
      aggregateId: rel.id,
      orgId,
      payload,
    });
  }
}

/**
 * A party's answer to a proposal, or the end of an ACTIVE relationship (relationshipTransition
 * decides who may take which step), on the locked row, audited and evented.
 */
async function changeRelationship(
  ctx: Context,
  action: RelationshipAction,
  id: string,
  validTo?: Date | null,
) {
  const relId = parseInput(z.object({ id: idOf('a relationship') }), { id }, '').id;
  const actor = actorOf(ctx.caller);
  return writeOnce(
    ctx.prisma,
    SCHEMA,
    ctx,
    { operation: `${action}OrgRelationship`, input: { id, validTo } },
    async (tx) => {
      const before = await lockRelationship(tx, relId);
      const now = new Date();
      if (!before) throw notFound('relationship', relId, 'id');
      const step = relationshipTransition(
        { ...before, status: shownStatus(before, now) },
        action,
        actor,
      );
      if (!step.ok) {
        if (step.code === 'NOT_FOUND') throw notFound('relationship', relId, 'id');
        throw userError(step.code, step.message, { field: 'id' });
      }
      let data: Prisma.OrgRelationshipUpdateInput = { status: step.status, respondedAt: now };
      if (action === 'end') {
        const end = endingAt(before, validTo, now);
        if ('problem' in end) throw badInput('validTo', end.problem);
        // in force until then: ENDED once validTo has passed
        data = {
          validTo: end.validTo,
          endedAt: now,
          status: end.validTo <= now ? 'ENDED' : 'ACTIVE',
        };
      }
      const after = await tx.orgRelationship.update({ where: { id: relId }, data });
      await writeAudit(tx, SCHEMA, ctx, {
        action: `relationship.${action}`,
        objectType: 'OrgRelationship',
        objectId: relId,
        before,
        after,
      });
      await emitRelationshipEvent(tx, ctx, EVENT[action], after);
      return after;
    },
  );
}

export const organizationResolvers: Resolvers = {
  Query: {
    async organizations(_, args, ctx) {
      const page = pageOf(args);
      const { rows, total } = await listOrganizations(ctx.prisma, page, args.type);
      return toConnection(rows, page, total);
    },
    organization: (_, { id }, ctx) => ctx.loaders.organization.load(id),
  },
  Mutation: {
    async createOrganization(_, { input }, ctx) {
      const data = parseInput(createOrganizationInput, input);
      return onDuplicate(
        writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'createOrganization', key: data.idempotencyKey, input },
          async (tx) => {
            const org = await tx.organization.create({
              data: {
                name: data.name,
                type: data.type,
                externalRef: data.externalRef ?? null,
                attributes: (data.attributes ?? {}) as object,
              },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'organization.create',
              objectType: 'Organization',
              objectId: org.id,
              after: org,
            });
            await emitEvent(tx, ctx, {
              type: 'organization.created',
              aggregateType: 'Organization',
              aggregateId: org.id,
              orgId: org.id,
              payload: { id: org.id, name: org.name, type: org.type },
            });
            return org;
          },
        ),
        () =>
          conflict(`externalRef "${data.externalRef}" is already used`, {
            field: 'input.externalRef',
          }),
      );
    },
    async createOrgRelationship(_, { input }, ctx) {
      const data = parseInput(createRelationshipInput, input);
      const [from, to] = await Promise.all([
        organizationOrFail(ctx.loaders, data.fromOrgId, 'input.fromOrgId'),
        organizationOrFail(ctx.loaders, data.toOrgId, 'input.toOrgId'),
      ]);
      if (ctx.caller.orgId !== to.id) requireActsFor(ctx.caller, from.id);
      const candidate = {
        type: data.type,
        territories: data.territories,
        validFrom: data.validFrom ?? new Date(),
        validTo: data.validTo ?? null,
      };
      const start = initialRelationship(actorOf(ctx.caller));
      return onOverlap(
        writeOnce(
          ctx.prisma,
          SCHEMA,
          ctx,
          { operation: 'createOrgRelationship', key: data.idempotencyKey, input },
          async (tx) => {
            const existing = await tx.orgRelationship.findMany({
              where: { fromOrgId: from.id, toOrgId: to.id, type: data.type },
            });
            const problem = relationshipProblem(from, to, candidate, existing);
            if (problem) throw userError(problem.code, problem.message, { field: problem.field });
            const rel = await tx.orgRelationship.create({
              data: { fromOrgId: from.id, toOrgId: to.id, ...candidate, ...start },
            });
            await writeAudit(tx, SCHEMA, ctx, {
              action: 'relationship.create',
              objectType: 'OrgRelationship',
              objectId: rel.id,
              after: rel,
            });
            await emitRelationshipEvent(
              tx,
              ctx,
              rel.status === 'ACTIVE' ? 'relationship.created' : 'relationship.proposed',
              rel,
            );
            return rel;
          },
        ),
      );
    },
    acceptOrgRelationship: (_, { id }, ctx) => changeRelationship(ctx, 'accept', id),
    declineOrgRelationship: (_, { id }, ctx) => changeRelationship(ctx, 'decline', id),
    endOrgRelationship: (_, { id, validTo }, ctx) => changeRelationship(ctx, 'end', id, validTo),
    async addOrgCertification(_, { orgId, code, validUntil }, ctx) {
      const trimmed = code.trim();
      if (!/^[A-Z0-9][A-Z0-9_-]{0,63}$/.test(trimmed)) {
        throw badInput(
          'code',
          'code must be upper-case letters, digits, "-" or "_" (e.g. "HVAC-L2")',
        );
      }
      const org = await organizationOrFail(ctx.loaders, orgId, 'orgId');
      requireActsFor(ctx.caller, org.id);
      await writeOnce(
        ctx.prisma,
        SCHEMA,
        ctx,
        { operation: 'addOrgCertification', input: { orgId, code, validUntil } },
        async (tx) => {
          const before = await tx.orgCertification.findUnique({
            where: { orgId_code: { orgId, code: trimmed } },
          });
          const after = await tx.orgCertification.upsert({
            where: { orgId_code: { orgId, code: trimmed } },
            create: { orgId, code: trimmed, validUntil: validUntil ?? null },
            update: { validUntil: validUntil ?? null },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'certification.upsert',
            objectType: 'Organization',
            objectId: orgId,
            before,
            after,
          });
        },
      );
      ctx.loaders.certifications.clear(orgId);
      return org;
    },
  },
  Organization: {
    __resolveReference: (ref, ctx) => ctx.loaders.organization.load(ref.id),
    certifications: (org, _, ctx) => ctx.loaders.certifications.load(org.id),
    relationships: async (org, { direction, status }, ctx) => {
      const all = await ctx.loaders.relationshipsOf.load(org.id);
      const actor = actorOf(ctx.caller);
      const now = new Date();
      return all.filter(
        (r) =>
          (direction === 'OUTGOING'
            ? r.fromOrgId === org.id
            : direction === 'INCOMING'
              ? r.toOrgId === org.id
              : true) &&
          (!status || shownStatus(r, now) === status) &&
          canSeeRelationship(r, actor),
      );
    },
  },
  OrgRelationship: {
    __resolveReference: async (ref, ctx) => {
      const rel = await ctx.loaders.relationship.load(ref.id);
      return rel && canSeeRelationship(rel, actorOf(ctx.caller)) ? rel : null;
    },
    // an idempotent replay answers the stored JSON: its times are strings
    status: (r) =>
      shownStatus(
        { status: r.status, endedAt: r.endedAt, validTo: r.validTo && new Date(r.validTo) },
        new Date(),
      ),
    proposedBy: (r, _, ctx) =>
      r.proposedByOrgId ? ctx.loaders.organization.loadRequired(r.proposedByOrgId) : null,
    from: (r, _, ctx) => ctx.loaders.organization.loadRequired(r.fromOrgId),
    to: (r, _, ctx) => ctx.loaders.organization.loadRequired(r.toOrgId),
  },
};
