import { parseInput } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  conditionsSchema,
  createServicePolicyInput,
  nextDefinition,
  policyReferenceProblem,
  readConditions,
  servicePoliciesArgs,
} from './rules.js';

const SKU_A = '0190a000-0000-7000-8000-00000000000a';
const SKU_B = '0190a000-0000-7000-8000-00000000000b';

describe('policy conditions', () => {
  it('reads absent conditions as "any" (every list empty)', () => {
    expect(readConditions({})).toEqual({ productIds: [], skuIds: [], regions: [], issueTypes: [] });
    expect(readConditions(null)).toEqual({
      productIds: [],
      skuIds: [],
      regions: [],
      issueTypes: [],
    });
    expect(readConditions({ regions: null })).toMatchObject({ regions: [] });
  });

  it('normalizes lists to sorted sets', () => {
    expect(
      readConditions({
        skuIds: [SKU_B, SKU_A, SKU_B],
        regions: ['DE', 'AT', 'DE'],
        issueTypes: ['NO_COOLING', 'LEAK'],
      }),
    ).toEqual({
      productIds: [],
      skuIds: [SKU_A, SKU_B],
      regions: ['AT', 'DE'],
      issueTypes: ['LEAK', 'NO_COOLING'],
    });
  });

  it('refuses malformed conditions', () => {
    expect(readConditions({ regions: ['germany'] })).toBeNull();
    expect(readConditions({ skuIds: ['sku-1'] })).toBeNull();
    expect(readConditions({ issueTypes: ['no cooling'] })).toBeNull();
    expect(readConditions('everything')).toBeNull();
    const result = conditionsSchema.safeParse({ regions: ['US-CA', 'xx'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['regions', 1]);
  });
});

describe('servicePolicies arguments', () => {
  it('accepts no manufacturer or an organization id', () => {
    expect(parseInput(servicePoliciesArgs, {}, '')).toEqual({});
    expect(parseInput(servicePoliciesArgs, { manufacturerId: SKU_A }, '')).toEqual({
      manufacturerId: SKU_A,
    });
  });

  it('names the argument of a malformed id', () => {
    expect(() => parseInput(servicePoliciesArgs, { manufacturerId: 'acme' }, '')).toThrowError(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'manufacturerId' } }),
    );
  });
});

describe('policy inputs and references', () => {
  const MAKER = SKU_A;
  const facts = {
    manufacturerType: 'MANUFACTURER',
    products: {},
    skus: {},
    defaultOrgExists: true,
    defaultOrgRelated: true,
  };
  const refs = { manufacturerId: MAKER, productIds: [], skuIds: [], defaultOrgId: null };
  const at = (name: string) => `input.${name}`;

  it('refuses an empty or repeating chain and a window that ends before it starts', () => {
    const base = { manufacturerId: MAKER, name: 'p', chain: ['DEALER'] };
    expect(createServicePolicyInput.safeParse(base).success).toBe(true);
    expect(
      createServicePolicyInput.safeParse({ ...base, chain: [] }).error?.issues[0]?.path,
    ).toEqual(['chain']);
    expect(
      createServicePolicyInput.safeParse({ ...base, chain: ['DEALER', 'DEALER'] }).error?.issues[0]
        ?.path,
    ).toEqual(['chain']);
    expect(
      createServicePolicyInput.safeParse({
        ...base,
        validFrom: new Date('2026-02-01'),
        validTo: new Date('2026-01-01'),
      }).error?.issues[0]?.path,
    ).toEqual(['validTo']);
  });

  it('an update replaces what it names and checks the window as a whole', () => {
    const current = {
      name: 'p',
      priority: 1,
      enabled: true,
      chain: ['DEALER' as const],
      conditions: readConditions({})!,
      requiredCertification: 'F-GAS',
      defaultOrgId: SKU_B,
      validFrom: new Date('2026-01-01'),
      validTo: null,
    };
    expect(nextDefinition(current, { enabled: false, defaultOrgId: null })).toMatchObject({
      enabled: false,
      defaultOrgId: null,
      requiredCertification: 'F-GAS',
      priority: 1,
    });
    expect(nextDefinition(current, { validTo: new Date('2025-12-01') })).toEqual({
      problem: 'validTo must be after validFrom',
      field: 'input.validTo',
    });
  });

  it('names the reference that does not hold', () => {
    expect(policyReferenceProblem(refs, facts, at)).toBeNull();
    expect(policyReferenceProblem(refs, { ...facts, manufacturerType: null }, at)).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.manufacturerId',
    });
    expect(
      policyReferenceProblem(refs, { ...facts, manufacturerType: 'DEALER' }, at),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(
      policyReferenceProblem(
        { ...refs, skuIds: [SKU_A, SKU_B] },
        { ...facts, skus: { [SKU_A]: MAKER, [SKU_B]: SKU_B } },
        at,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conditions.skuIds.1' });
    expect(policyReferenceProblem({ ...refs, productIds: [SKU_B] }, facts, at)).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.conditions.productIds.0',
    });
    expect(
      policyReferenceProblem(
        { ...refs, defaultOrgId: SKU_B },
        { ...facts, defaultOrgRelated: false },
        at,
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.defaultOrgId' });
  });
});
