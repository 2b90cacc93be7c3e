import { describe, expect, it } from 'vitest';
import {
  applyDraftUpdate,
  createOfferingInput,
  offeringTerms,
  sameContent,
  sellerProblem,
} from './rules.js';

const SELLER = '0196a000-0000-7000-8000-000000000001';
const SKU = '0196a000-0000-7000-8000-000000000002';

describe('offering input', () => {
  it('accepts known terms with their types and keeps other keys', () => {
    const terms = offeringTerms.parse({ leadTimeDays: 5, incoterm: 'DAP', colour: 'red' });
    expect(terms).toEqual({ leadTimeDays: 5, incoterm: 'DAP', colour: 'red' });
  });

  it('refuses terms that are not an object, or known keys of the wrong type', () => {
    expect(offeringTerms.safeParse([1, 2]).success).toBe(false);
    expect(offeringTerms.safeParse('x').success).toBe(false);
    expect(offeringTerms.safeParse({ leadTimeDays: -1 }).success).toBe(false);
    expect(offeringTerms.safeParse({ minOrderQuantity: 0 }).success).toBe(false);
    expect(offeringTerms.safeParse({ incoterm: 'XYZ' }).success).toBe(false);
  });

  it('needs a seller, a SKU and a non-empty name', () => {
    expect(
      createOfferingInput.safeParse({ sellerOrgId: SELLER, skuId: SKU, name: 'x' }).success,
    ).toBe(true);
    const blank = createOfferingInput.safeParse({ sellerOrgId: SELLER, skuId: SKU, name: '  ' });
    expect(blank.success).toBe(false);
    expect(blank.error?.issues[0]?.path).toEqual(['name']);
    const badSku = createOfferingInput.safeParse({ sellerOrgId: SELLER, skuId: 'sku', name: 'x' });
    expect(badSku.error?.issues[0]?.path).toEqual(['skuId']);
  });
});

describe('drafts', () => {
  const draft = { name: 'A', description: 'd', terms: { leadTimeDays: 3 } };

  it('changes only the fields given; description null clears it', () => {
    expect(applyDraftUpdate(draft, { name: 'B' }, { description: false })).toEqual({
      ...draft,
      name: 'B',
    });
    expect(applyDraftUpdate(draft, { description: null }, { description: true })).toEqual({
      ...draft,
      description: null,
    });
    expect(applyDraftUpdate(draft, { terms: { notes: 'n' } }, { description: false })).toEqual({
      ...draft,
      terms: { notes: 'n' },
    });
  });

  it('compares a draft with the latest version by content', () => {
    expect(sameContent(draft, null)).toBe(false);
    expect(sameContent(draft, { ...draft, terms: { leadTimeDays: 3 } })).toBe(true);
    expect(sameContent(draft, { ...draft, terms: { leadTimeDays: 4 } })).toBe(false);
    expect(sameContent({ ...draft, description: null }, { ...draft, description: null })).toBe(
      true,
    );
    expect(sameContent(draft, { ...draft, name: 'B' })).toBe(false);
  });

  it('lets only active organizations sell', () => {
    expect(sellerProblem(null)).toBe('no such organization');
    expect(sellerProblem({ status: 'INACTIVE' })).toBe('the seller is not active');
    expect(sellerProblem({ status: 'ACTIVE' })).toBeNull();
  });
});
