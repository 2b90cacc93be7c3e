import { idOf, REGION_CODE } from '@trellis/kit';
import { z } from 'zod';

export const ORG_ROLES = ['MANUFACTURER', 'DISTRIBUTOR', 'DEALER', 'SERVICE_PARTNER'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** An issue type such as "NO_COOLING" or "leak". */
export const ISSUE_TYPE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A certification code such as "F-GAS" (the codes org-graph records). */
export const CERTIFICATION_CODE = /^[A-Z0-9][A-Z0-9_.-]{0,63}$/;

/** A sorted set of strings; absent or null means "any" (the empty list). */
const set = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((values) => [...new Set(values ?? [])].sort());

/** A policy's conditions (validated JSONB). An empty list means any. */
export const conditionsSchema = z.object({
  productIds: set(z.uuid('must be a product id')),
  skuIds: set(z.uuid('must be a SKU id')),
  regions: set(z.string().regex(REGION_CODE, 'must be a region code such as "DE" or "US-CA"')),
  issueTypes: set(z.string().regex(ISSUE_TYPE, 'must be an issue type code such as "NO_COOLING"')),
});
export type PolicyConditions = z.output<typeof conditionsSchema>;

/**
 * The conditions stored with a policy, normalized. Stored JSON is written through
 * `conditionsSchema`; anything unreadable is answered null (a bug the caller reports).
 */
export function readConditions(stored: unknown): PolicyConditions | null {
  const parsed = conditionsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

/** Arguments of `servicePolicies`. */
export const servicePoliciesArgs = z.object({
  manufacturerId: z.uuid('must be an organization id').nullish(),
});

/** A fallback chain: at least one role, none twice. */
const chainSchema = z
  .array(z.enum(ORG_ROLES))
  .min(1, 'a chain needs at least one role')
  .refine((roles) => new Set(roles).size === roles.length, 'a role may appear once in a chain');

const date = z.date({ error: 'must be a date-time' });

/** A policy's definition: what every version records. */
const definitionFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  priority: z.number().int().min(-1000).max(1000),
  enabled: z.boolean(),
  chain: chainSchema,
  conditions: conditionsSchema,
  requiredCertification: z
    .string()
    .regex(CERTIFICATION_CODE, 'must be a certification code such as "F-GAS"')
    .nullable(),
  defaultOrgId: idOf('an organization').nullable(),
  validFrom: date,
  validTo: date.nullable(),
};

const windowProblem = (d: { validFrom?: Date | null; validTo?: Date | null }) =>
  d.validFrom && d.validTo && d.validTo <= d.validFrom;
const WINDOW = { message: 'validTo must be after validFrom', path: ['validTo'] };

export const createServicePolicyInput = z
  .object({
    manufacturerId: idOf('an organization'),
    name: definitionFields.name,
    priority: definitionFields.priority.nullish().transform((p) => p ?? 0),
    enabled: definitionFields.enabled.nullish().transform((e) => e ?? true),
    chain: definitionFields.chain,
    conditions: conditionsSchema.nullish().transform((c) => c ?? conditionsSchema.parse({})),
    requiredCertification: definitionFields.requiredCertification
      .optional()
      .transform((c) => c ?? null),
    defaultOrgId: definitionFields.defaultOrgId.optional().transform((o) => o ?? null),
    validFrom: date.nullish(),
    validTo: date.nullish().transform((d) => d ?? null),
    idempotencyKey: z.string().nullish(),
  })
  .refine((d) => !windowProblem(d), WINDOW);
export type CreateServicePolicyInput = z.output<typeof createServicePolicyInput>;

/** An update names what changes: an absent field keeps its value, null clears a nullable one. */
export const updateServicePolicyInput = z
  .object({
    name: definitionFields.name.nullish(),
    priority: definitionFields.priority.nullish(),
    enabled: definitionFields.enabled.nullish(),
    chain: definitionFields.chain.nullish(),
    conditions: conditionsSchema.nullish(),
    requiredCertification: definitionFields.requiredCertification.optional(),
    defaultOrgId: definitionFields.defaultOrgId.optional(),
    validFrom: date.nullish(),
    validTo: date.nullish(),
    idempotencyKey: z.string().nullish(),
  })
  .refine((d) => !windowProblem(d), WINDOW);
export type UpdateServicePolicyInput = z.output<typeof updateServicePolicyInput>;

/** A policy's full definition (one version). */
export interface PolicyDefinition {
  name: string;
  priority: number;
  enabled: boolean;
  chain: OrgRole[];
  conditions: PolicyConditions;
  requiredCertification: string | null;
  defaultOrgId: string | null;
  validFrom: Date;
  validTo: Date | null;
}

/**
 * The next version's definition: the current one with the update's fields replaced. The window
 * is checked again as a whole (an update may move one end past the other): BAD_USER_INPUT.
 */
export function nextDefinition(
  current: PolicyDefinition,
  update: UpdateServicePolicyInput,
): PolicyDefinition | { problem: string; field: string } {
  const next: PolicyDefinition = {
    name: update.name ?? current.name,
    priority: update.priority ?? current.priority,
    enabled: update.enabled ?? current.enabled,
    chain: update.chain ?? current.chain,
    conditions: update.conditions ?? current.conditions,
    requiredCertification:
      update.requiredCertification === undefined
        ? current.requiredCertification
        : update.requiredCertification,
    defaultOrgId: update.defaultOrgId === undefined ? current.defaultOrgId : update.defaultOrgId,
    validFrom: update.validFrom ?? current.validFrom,
    validTo: update.validTo === undefined ? current.validTo : update.validTo,
  };
  if (next.validTo && next.validTo <= next.validFrom)
    return { problem: 'validTo must be after validFrom', field: 'input.validTo' };
  return next;
}

/** A reference a policy names that does not hold: which field, which code, what to fix. */
export interface ReferenceProblem {
  code: 'NOT_FOUND' | 'BAD_USER_INPUT';
  field: string;
  message: string;
}

/**
 * Checks a policy's references against what the published views answered: the manufacturer is
 * a MANUFACTURER, every product and SKU exists and is the manufacturer's, and the default
 * organization is in an ACTIVE relationship toward it (trust takes two: a policy cannot make
 * an organization responsible that never agreed to work with the manufacturer).
 */
export function policyReferenceProblem(
  refs: {
    manufacturerId: string;
    productIds: string[];
    skuIds: string[];
    defaultOrgId: string | null;
  },
  facts: {
    manufacturerType: string | null;
    products: Record<string, string>;
    skus: Record<string, string>;
    defaultOrgExists: boolean;
    defaultOrgRelated: boolean;
  },
  fieldOf: (name: string) => string,
): ReferenceProblem | null {
  if (facts.manufacturerType === null)
    return {
      code: 'NOT_FOUND',
      field: fieldOf('manufacturerId'),
      message: `organization ${refs.manufacturerId} does not exist`,
    };
  if (facts.manufacturerType !== 'MANUFACTURER')
    return {
      code: 'BAD_USER_INPUT',
      field: fieldOf('manufacturerId'),
      message: `organization ${refs.manufacturerId} is a ${facts.manufacturerType}, not a MANUFACTURER`,
    };
  for (const [kind, ids, found] of [
    ['product', refs.productIds, facts.products],
    ['SKU', refs.skuIds, facts.skus],
  ] as const) {
    const i = ids.findIndex((id) => found[id] !== refs.manufacturerId);
    if (i < 0) continue;
    const id = ids[i]!;
    const field = fieldOf(`conditions.${kind === 'SKU' ? 'skuIds' : 'productIds'}.${i}`);
    return found[id] === undefined
      ? { code: 'NOT_FOUND', field, message: `${kind} ${id} does not exist` }
      : { code: 'BAD_USER_INPUT', field, message: `${kind} ${id} is not the manufacturer's` };
  }
  if (refs.defaultOrgId && !facts.defaultOrgExists)
    return {
      code: 'NOT_FOUND',
      field: fieldOf('defaultOrgId'),
      message: `organization ${refs.defaultOrgId} does not exist`,
    };
  if (refs.defaultOrgId && !facts.defaultOrgRelated)
    return {
      code: 'BAD_USER_INPUT',
      field: fieldOf('defaultOrgId'),
      message: `organization ${refs.defaultOrgId} is in no ACTIVE relationship toward the manufacturer`,
    };
  return null;
}
