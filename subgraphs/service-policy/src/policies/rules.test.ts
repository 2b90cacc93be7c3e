import { parseInput } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import { conditionsSchema, readConditions, servicePoliciesArgs } from './rules.js';

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
