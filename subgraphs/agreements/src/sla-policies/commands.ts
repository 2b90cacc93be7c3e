import { badInput, requireActsFor, requireReferences } from '@trellis/kit';
import type { Prisma } from '@trellis/prisma/agreements/generated/client.ts';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import { checkDefinition } from '../sla/dsl.js';
import { createSlaPolicyInput } from './rules.js';

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
