import { pageOf, selectedField, toConnection } from '@trellis/kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import {
  acceptOrgRelationship,
  addOrgCertification,
  createOrganization,
  createOrgRelationship,
  declineOrgRelationship,
  endOrgRelationship,
} from './commands.js';
import { listOrganizations } from './organization-store.js';
import { actorOf, canSeeRelationship, shownStatus } from './rules.js';

export const organizationResolvers: Resolvers = {
  Query: {
    async organizations(_, args, ctx) {
      const page = pageOf(args);
      const { rows, total } = await listOrganizations(ctx.prisma, page, args.type);
      return toConnection(rows, page, total);
    },
    // the organization and, when the query goes on to them, its channels in one statement
    organization: (_, { id }, ctx, info) =>
      selectedField(info, 'channels')
        ? ctx.loaders.organizationWithChannels.load(id)
        : ctx.loaders.organization.load(id),
  },
  Mutation: {
    createOrganization,
    createOrgRelationship,
    acceptOrgRelationship,
    declineOrgRelationship,
    endOrgRelationship,
    addOrgCertification,
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
