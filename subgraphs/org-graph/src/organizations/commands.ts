import {
  badInput,
  conflict,
  created,
  type DomainEvent,
  idOf,
  notFound,
  requireActsFor,
  userError,
} from '@trellis/kit';
import type { Prisma } from '@trellis/prisma/org-graph/generated/client.ts';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { onOverlap } from './errors.js';
import {
  lockRelationship,
  organizationOrFail,
  type RelationshipRow,
} from './organization-store.js';
import {
  actorOf,
  CERTIFICATION_CODE,
  createOrganizationInput,
  createRelationshipInput,
  endingAt,
  initialRelationship,
  type RelationshipAction,
  relationshipProblem,
  relationshipTransition,
  shownStatus,
} from './rules.js';

export const createOrganization = defineCommand({
  name: 'createOrganization',
  args: z.object({ input: createOrganizationInput }),
  async run(tx, { input }) {
    const org = await tx.organization.create({
      data: {
        name: input.name,
        type: input.type,
        externalRef: input.externalRef ?? null,
        attributes: (input.attributes ?? {}) as object,
      },
    });
    return created(org, { action: 'organization.create', objectType: 'Organization' }, [
      {
        type: 'organization.created',
        aggregateType: 'Organization',
        aggregateId: org.id,
        orgId: org.id,
        payload: { id: org.id, name: org.name, type: org.type },
      },
    ]);
  },
  onDuplicate: ({ input }) =>
    conflict(`externalRef "${input.externalRef}" is already used`, {
      field: 'input.externalRef',
    }),
});

/** One event for each party: each organization sees what concerns it in its own outbox. */
function relationshipEvents(type: string, rel: RelationshipRow): DomainEvent[] {
  const payload = {
    id: rel.id,
    type: rel.type,
    status: rel.status,
    fromOrgId: rel.fromOrgId,
    toOrgId: rel.toOrgId,
    validFrom: rel.validFrom,
    validTo: rel.validTo,
  };
  return [rel.fromOrgId, rel.toOrgId].map((orgId) => ({
    type,
    aggregateType: 'OrgRelationship',
    aggregateId: rel.id,
    orgId,
    payload,
  }));
}

export const createOrgRelationship = defineCommand({
  name: 'createOrgRelationship',
  args: z.object({ input: createRelationshipInput }),
  async authorize(ctx, { input }) {
    const [from, to] = await Promise.all([
      organizationOrFail(ctx.loaders, input.fromOrgId, 'input.fromOrgId'),
      organizationOrFail(ctx.loaders, input.toOrgId, 'input.toOrgId'),
    ]);
    if (ctx.caller.orgId !== to.id) requireActsFor(ctx.caller, from.id);
    return { from, to };
  },
  async run(tx, { input }, { from, to }, ctx) {
    const candidate = {
      type: input.type,
      territories: input.territories,
      validFrom: input.validFrom ?? new Date(),
      validTo: input.validTo ?? null,
    };
    const existing = await tx.orgRelationship.findMany({
      where: { fromOrgId: from.id, toOrgId: to.id, type: input.type },
    });
    const problem = relationshipProblem(from, to, candidate, existing);
    if (problem) throw userError(problem.code, problem.message, { field: problem.field });
    const rel = await onOverlap(
      tx.orgRelationship.create({
        data: {
          fromOrgId: from.id,
          toOrgId: to.id,
          ...candidate,
          ...initialRelationship(actorOf(ctx.caller)),
        },
      }),
    );
    return created(
      rel,
      { action: 'relationship.create', objectType: 'OrgRelationship' },
      relationshipEvents(
        rel.status === 'ACTIVE' ? 'relationship.created' : 'relationship.proposed',
        rel,
      ),
    );
  },
});

const RELATIONSHIP_EVENT: Record<RelationshipAction, string> = {
  accept: 'relationship.accepted',
  decline: 'relationship.declined',
  end: 'relationship.ended',
};

/**
 * A party's answer to a proposal, or the end of an ACTIVE relationship (relationshipTransition
 * decides who may take which step), on the locked row.
 */
const relationshipStep = (action: RelationshipAction) =>
  defineCommand({
    name: `${action}OrgRelationship`,
    args: z.object({ id: idOf('a relationship'), validTo: z.date().nullish() }),
    async run(tx, { id, validTo }, _, ctx) {
      const before = await lockRelationship(tx, id);
      const now = new Date();
      if (!before) throw notFound('relationship', id, 'id');
      const step = relationshipTransition(
        { ...before, status: shownStatus(before, now) },
        action,
        actorOf(ctx.caller),
      );
      if (!step.ok) {
        if (step.code === 'NOT_FOUND') throw notFound('relationship', id, 'id');
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
      const after = await tx.orgRelationship.update({ where: { id }, data });
      return {
        result: after,
        audit: {
          action: `relationship.${action}`,
          objectType: 'OrgRelationship',
          objectId: id,
          before,
          after,
        },
        events: relationshipEvents(RELATIONSHIP_EVENT[action], after),
      };
    },
  });

export const acceptOrgRelationship = relationshipStep('accept');
export const declineOrgRelationship = relationshipStep('decline');
export const endOrgRelationship = relationshipStep('end');

export const addOrgCertification = defineCommand({
  name: 'addOrgCertification',
  args: z.object({
    orgId: z.string(),
    code: z.string().trim(),
    validUntil: z.date().nullish(),
  }),
  async authorize(ctx, { orgId, code }) {
    // its own message (not prefixed by the field, as argument validation's are)
    if (!CERTIFICATION_CODE.test(code)) {
      throw badInput(
        'code',
        'code must be upper-case letters, digits, "-" or "_" (e.g. "HVAC-L2")',
      );
    }
    const org = await organizationOrFail(ctx.loaders, orgId, 'orgId');
    requireActsFor(ctx.caller, org.id);
    return org;
  },
  async run(tx, { orgId, code, validUntil }, org, ctx) {
    const where = { orgId_code: { orgId, code } };
    const before = await tx.orgCertification.findUnique({ where });
    const after = await tx.orgCertification.upsert({
      where,
      create: { orgId, code, validUntil: validUntil ?? null },
      update: { validUntil: validUntil ?? null },
    });
    // the answer's certifications are read after the commit
    ctx.loaders.certifications.clear(orgId);
    return {
      result: org,
      audit: {
        action: 'certification.upsert',
        objectType: 'Organization',
        objectId: orgId,
        before,
        after,
      },
    };
  },
});
