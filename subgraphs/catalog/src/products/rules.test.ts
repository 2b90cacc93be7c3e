import { describe, expect, it } from 'vitest';
import { createProductInput, createSkuInput, manufacturerProblem } from './rules.js';

const MANUFACTURER = '0196a000-0000-7000-8000-000000000001';
const PRODUCT = '0196a000-0000-7000-8000-000000000002';

describe('product and SKU input', () => {
  it('needs a manufacturer id and a non-empty name, trimmed', () => {
    expect(createProductInput.parse({ manufacturerId: MANUFACTURER, name: ' Mini ' }).name).toBe(
      'Mini',
    );
    expect(createProductInput.safeParse({ manufacturerId: 'acme', name: 'x' }).success).toBe(false);
    expect(createProductInput.safeParse({ manufacturerId: MANUFACTURER, name: ' ' }).success).toBe(
      false,
    );
  });

  it('takes SKU codes of 2-64 upper-case letters, digits, ".", "-" or "_"', () => {
    const code = (c: string) =>
      createSkuInput.safeParse({ productId: PRODUCT, code: c, name: 'x' }).success;
    expect(['ACM-11-4KW', 'A1', 'X.Y_Z', 'A'.repeat(64)].map(code)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['A', 'lower case', '-A', 'A B', 'A'.repeat(65)].map(code)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('manufacturerProblem', () => {
  it('lets only an active manufacturer own products, and says why not', () => {
    expect(manufacturerProblem({ type: 'MANUFACTURER', status: 'ACTIVE' })).toBeNull();
    expect(manufacturerProblem(null)).toBe('no such organization');
    expect(manufacturerProblem({ type: 'DEALER', status: 'ACTIVE' })).toBe(
      'products belong to a MANUFACTURER, not a DEALER',
    );
    expect(manufacturerProblem({ type: 'MANUFACTURER', status: 'SUSPENDED' })).toBe(
      'the manufacturer is not active',
    );
  });
});
