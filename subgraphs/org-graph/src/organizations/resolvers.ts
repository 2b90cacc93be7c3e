import {
  badInput,
  conflict,
  emitEvent,
  onDuplicate,
  pageOf,
  parseInput,
  requireActsFor,
  requireScope,
  toConnection,
  userError,
  writeAudit,
  writeOnce,
} from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { type Context, SCHEMA } from '../context.js';
import { listOrganizations, organizationOrFail } from './data.js';
import { createOrganizationInput, createRelationshipInput, relationshipProblem } from './rules.js';

const orgEnabled = (ctx: Context) => ctx.flags.require('ENABLE_ORG', ctx.caller.orgId);

export const organizationResolvers: Resolvers = {
  Query: {
    async organizations(_, args, ctx) {
      await orgEnabled(ctx);
      const page = pageOf(args);
      const { rows, total } = await listOrganizations(ctx.prisma, page, args.type);
      return toConnection(rows, page, total);
    },
    async organization(_, { id }, ctx) {
      await orgEnabled(ctx);
      return ctx.loaders.organization.load(id);
    },
  },
  Mutation: {
    async createOrganization(_, { input }, ctx) {
      await orgEnabled(ctx);
      requireScope(ctx.caller, 'org:write');
      requireScope(ctx.caller, 'admin');
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
      await orgEnabled(ctx);
      requireScope(ctx.caller, 'org:write');
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
      return writeOnce(
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
            data: { fromOrgId: from.id, toOrgId: to.id, ...candidate },
          });
          await writeAudit(tx, SCHEMA, ctx, {
            action: 'relationship.create',
            objectType: 'OrgRelationship',
            objectId: rel.id,
            after: rel,
          });
          return rel;
        },
      );
    },
    async addOrgCertification(_, { orgId, code, validUntil }, ctx) {
      await orgEnabled(ctx);
      requireScope(ctx.caller, 'org:write');
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
    __resolveReference: async (ref, ctx) => {
      await orgEnabled(ctx);
      return ctx.loaders.organization.load(ref.id);
    },
    certifications: (org, _, ctx) => ctx.loaders.certifications.load(org.id),
    relationships: async (org, { direction }, ctx) => {
      const all = await ctx.loaders.relationshipsOf.load(org.id);
      return all.filter((r) =>
        direction === 'OUTGOING'
          ? r.fromOrgId === org.id
          : direction === 'INCOMING'
            ? r.toOrgId === org.id
            : true,
      );
    },
  },
  OrgRelationship: {
    __resolveReference: async (ref, ctx) => {
      await orgEnabled(ctx);
      return ctx.loaders.relationship.load(ref.id);
    },
    from: (r, _, ctx) => ctx.loaders.organization.loadRequired(r.fromOrgId),
    to: (r, _, ctx) => ctx.loaders.organization.loadRequired(r.toOrgId),
  },
};
