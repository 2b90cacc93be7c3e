import {
  badInput,
  conflict,
  idOf,
  notFound,
  requireActsFor,
  requireReferences,
} from '@trellis/kit';
import type { Prisma } from '@trellis/prisma/agreements/generated/client.ts';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { checkDefinition } from '../sla/dsl.js';
import { createSlaPolicyInput, nextSlaPolicyContent, updateSlaPolicyInput } from './rules.js';

export const createSlaPolicy = defineCommand({
  name: 'createSlaPolicy',
  args: z.object({ input: createSlaPolicyInput }),
  authorize(ctx, { input }) {
    // a policy belongs to the organization that writes it (admin: any)
    requireActsFor(ctx.caller, input.orgId);
    const problem = checkDefinition(input.definition, 'input.definition');
    if (problem) throw badInput(problem.path, problem.message);
  },
  async run(tx, { input }, _, ctx) {
    await requireReferences(tx, [
      {
        view: 'org_graph.organization_v1',
        id: input.orgId,
        what: 'organization',
        field: 'input.orgId',
      },
    ]);
    const data = {
      name: input.name,
      position: input.position,
      validFrom: input.validFrom ?? new Date(),
      validTo: input.validTo,
      definition: input.definition as Prisma.InputJsonObject,
    };
    const policy = await tx.slaPolicy.create({ data: { orgId: input.orgId, ...data } });
    await tx.slaPolicyVersion.create({
      data: {
        slaPolicyId: policy.id,
        version: 1,
        ...data,
        actor: ctx.caller.subject,
        requestId: ctx.requestId,
      },
    });
    return {
      result: policy,
      audit: {
        action: 'sla_policy.create',
        objectType: 'SlaPolicy',
        objectId: policy.id,
        after: policy,
      },
      events: [
        {
          type: 'sla_policy.created',
          aggregateType: 'SlaPolicy',
          aggregateId: policy.id,
          orgId: input.orgId,
          payload: {
            slaPolicyId: policy.id,
            version: 1,
            name: policy.name,
            position: policy.position,
          },
        },
      ],
    };
  },
});

export const updateSlaPolicy = defineCommand({
  name: 'updateSlaPolicy',
  args: z.object({ id: idOf('an SLA policy'), input: updateSlaPolicyInput }),
  async authorize(ctx, { id, input }) {
    // row-level security hides a stranger's policy: NOT_FOUND; a party that sees it: FORBIDDEN
    const current = await ctx.loaders.slaPolicy.load(id);
    if (!current) throw notFound('SLA policy', id, 'id');
    requireActsFor(ctx.caller, current.orgId);
    if (input.definition !== undefined) {
      const problem = checkDefinition(input.definition, 'input.definition');
      if (problem) throw badInput(problem.path, problem.message);
    }
    const next = nextSlaPolicyContent(current, input);
    if ('field' in next) throw badInput(next.field, next.message);
    return { current, content: next.content };
  },
  async run(tx, { id }, { current, content }, ctx) {
    if (!content) return { result: current, unchanged: true };
    await tx.$queryRawUnsafe(
      'SELECT 1 FROM "agreements"."sla_policy" WHERE id = $1::uuid FOR UPDATE',
      id,
    );
    const locked = await tx.slaPolicy.findUnique({ where: { id } });
    if (!locked || locked.version !== current.version)
      throw conflict(`SLA policy ${id} changed meanwhile; read it again`);
    const version = current.version + 1;
    const data = { ...content, definition: content.definition as Prisma.InputJsonObject };
    // the history row first: the database refuses a new version without one
    await tx.slaPolicyVersion.create({
      data: {
        slaPolicyId: id,
        version,
        ...data,
        actor: ctx.caller.subject,
        requestId: ctx.requestId,
      },
    });
    const policy = await tx.slaPolicy.update({ where: { id }, data: { ...data, version } });
    return {
      result: policy,
      audit: {
        action: 'sla_policy.update',
        objectType: 'SlaPolicy',
        objectId: id,
        before: current,
        after: policy,
      },
      events: [
        {
          type: 'sla_policy.updated',
          aggregateType: 'SlaPolicy',
          aggregateId: id,
          orgId: policy.orgId,
          payload: {
            slaPolicyId: id,
            version,
            name: policy.name,
            position: policy.position,
          },
        },
      ],
    };
  },
  onWritten(ctx, _result, { id }) {
    ctx.loaders.slaPolicy.clear(id);
    ctx.loaders.slaPolicyVersionsOf.clear(id);
  },
});
