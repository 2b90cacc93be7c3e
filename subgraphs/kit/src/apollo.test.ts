import { describe, expect, it } from 'vitest';
import { operationLabel } from './apollo.js';

describe('operationLabel', () => {
  const known = new Set(['OrgCatalogWithPrices']);
  it('known operations by name, the subgraph fetches of one by its name too', () => {
    expect(operationLabel(known, 'OrgCatalogWithPrices')).toBe('OrgCatalogWithPrices');
    expect(operationLabel(known, 'OrgCatalogWithPrices__pricing__2')).toBe('OrgCatalogWithPrices');
  });
  it('anything a client made up, and no name at all: other', () => {
    expect(operationLabel(known, 'Attack12345')).toBe('other');
    expect(operationLabel(known, 'Attack__pricing__2')).toBe('other');
    expect(operationLabel(known, undefined)).toBe('other');
  });
});
