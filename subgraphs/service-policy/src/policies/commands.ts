import { badInput, conflict, idOf, notFound, requireActsFor, userError } from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { ServicePolicyTx } from '../prisma.js';
import {
  definitionOf,
  insertNextVersion,
  insertPolicy,
  readPolicyReferences,
} from './policy-store.js';
import {
  createServicePolicyInput,
  nextDefinition,
  type PolicyDefinition,
  policyReferenceProblem,
  updateServicePolicyInput,
} from './rules.js';

/** Refuses a definition whose references do not hold (nothing is written). */
async function requirePolicyReferences(
  tx: ServicePolicyTx,
  manufacturerId: string,
  d: PolicyDefinition,
) {
  const refs = {
    manufacturerId,
    productIds: d.conditions.productIds,
    skuIds: d.conditions.skuIds,
    defaultOrgId: d.defaultOrgId,
  };
  const problem = policyReferenceProblem(
    refs,
    await readPolicyReferences(tx, refs),
    (name) => `input.${name}`,
  );
  if (problem)
    throw userError(problem.code, `${problem.field}: ${problem.message}`, { field: problem.field });
}

const audited = (p: { id: string }) => ({ objectType: 'ServicePolicy', objectId: p.id });

export const createServicePolicy = defineCommand({
  name: 'createServicePolicy',
  args: z.object({ input: createServicePolicyInput }),
  authorize(ctx, { input }) {
    // a policy belongs to the manufacturer that writes it (admin: any)
    requireActsFor(ctx.caller, input.manufacturerId);
  },
  async run(tx, { input }) {
    const { manufacturerId, idempotencyKey: _, ...rest } = input;
    const definition: PolicyDefinition = { ...rest, validFrom: rest.validFrom ?? new Date() };
    if (definition.validTo && definition.validTo <= definition.validFrom)
      throw badInput('input.validTo', 'input.validTo: validTo must be after validFrom');
    await requirePolicyReferences(tx, manufacturerId, definition);
    const policy = await insertPolicy(tx, manufacturerId, definition);
    return {
      result: policy,
      audit: { action: 'service_policy.create', ...audited(policy), after: policy },
      events: [
        {
          type: 'service_policy.created',
          aggregateType: 'ServicePolicy',
          aggregateId: policy.id,
          orgId: manufacturerId,
          payload: { policyId: policy.id, version: 1 },
        },
      ],
    };
  },
});

export const updateServicePolicy = defineCommand({
  name: 'updateServicePolicy',
  args: z.object({ id: idOf('a service policy'), input: updateServicePolicyInput }),
  async authorize(ctx, { id }) {
    const current = await ctx.loaders.servicePolicy.load(id);
    if (!current) throw notFound('service policy', id, 'id');
    requireActsFor(ctx.caller, current.manufacturerId);
    return current;
  },
  async run(tx, { input }, current) {
    const next = nextDefinition(definitionOf(current), input);
    if ('problem' in next) throw badInput(next.field, `${next.field}: ${next.problem}`);
    await requirePolicyReferences(tx, current.manufacturerId, next);
    const policy = await insertNextVersion(tx, current, next);
    if (!policy)
      throw conflict(`service policy ${current.id} changed meanwhile; read it again and retry`);
    return {
      result: policy,
      audit: {
        action: 'service_policy.update',
        ...audited(policy),
        before: current,
        after: policy,
      },
      events: [
        {
          type: 'service_policy.updated',
          aggregateType: 'ServicePolicy',
          aggregateId: policy.id,
          orgId: policy.manufacturerId,
          payload: { policyId: policy.id, version: policy.version },
        },
      ],
    };
  },
});
