import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationLabel, operationNamesIn } from './apollo.js';

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

describe('operationNamesIn', () => {
  it('reads the operation names of a trusted-documents manifest, none without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-manifest-'));
    const path = join(dir, 'trusted-documents.json');
    expect(operationNamesIn(path)).toEqual(new Set());
    writeFileSync(
      path,
      JSON.stringify({
        documents: {
          'sha256:a': { operation: 'OrgCatalogWithPrices', source: 'x', document: '…' },
          'sha256:b': { operation: 'Tickets', source: 'y', document: '…' },
        },
      }),
    );
    expect(operationNamesIn(path)).toEqual(new Set(['OrgCatalogWithPrices', 'Tickets']));
  });
});
