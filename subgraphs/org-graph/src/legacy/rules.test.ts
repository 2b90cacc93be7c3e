import type { Caller } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import {
  compareLegacy,
  legacyOrgTypes,
  manufacturerInput,
  requireLegacyWriter,
  shadowReadShare,
  supplierInput,
} from './rules.js';

const OWNER = '0199b000-0000-7000-8000-000000000001';
const OTHER = '0199b000-0000-7000-8000-000000000002';
const caller = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: 'u',
  orgId,
  scopes: new Set(scopes),
});

describe('legacy input', () => {
  it('takes http(s) websites only', () => {
    for (const website of ['https://a.example', 'http://a.example/path?q=1', null, undefined])
      expect(manufacturerInput.safeParse({ name: 'A', website }).success).toBe(true);
    for (const website of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://a.example',
      'a.example',
      '',
    ])
      expect(manufacturerInput.safeParse({ name: 'A', website }).success).toBe(false);
  });

  it('takes ISO 3166-1 alpha-2 countries only', () => {
    for (const country of ['DE', 'US', 'PL', 'GB', null])
      expect(supplierInput.safeParse({ name: 'A', country }).success).toBe(true);
    for (const country of ['XX', 'EU', 'UK', 'de', 'DEU', 'Poland'])
      expect(supplierInput.safeParse({ name: 'A', country }).success).toBe(false);
  });
});

describe('who may write a legacy row', () => {
  it('an integration, an administrator, or the owning organization with org:write', () => {
    expect(() => requireLegacyWriter(caller(null, 'legacy:write'), OWNER)).not.toThrow();
    expect(() => requireLegacyWriter(caller(OTHER, 'legacy:write'), null)).not.toThrow();
    expect(() => requireLegacyWriter(caller(null, 'admin'), null)).not.toThrow();
    expect(() => requireLegacyWriter(caller(OWNER, 'org:write'), OWNER)).not.toThrow();
  });

  it('nobody else: another organization, the owner without org:write, anyone on an unmapped row', () => {
    expect(() => requireLegacyWriter(caller(OTHER, 'org:write'), OWNER)).toThrow(
      /another organization/,
    );
    expect(() => requireLegacyWriter(caller(OWNER), OWNER)).toThrow();
    expect(() => requireLegacyWriter(caller(OWNER, 'org:write'), null)).toThrow(/legacy:write/);
  });
});

describe('configuration', () => {
  it('maps manufacturers to MANUFACTURER and suppliers to DISTRIBUTOR unless configured', () => {
    expect(legacyOrgTypes({})).toEqual({ manufacturer: 'MANUFACTURER', supplier: 'DISTRIBUTOR' });
    expect(legacyOrgTypes({ LEGACY_SUPPLIER_ORG_TYPE: 'DEALER' }).supplier).toBe('DEALER');
    expect(() => legacyOrgTypes({ LEGACY_SUPPLIER_ORG_TYPE: 'SUPPLIER' })).toThrow();
    expect(shadowReadShare({})).toBe(0);
    expect(shadowReadShare({ LEGACY_SHADOW_READ_SHARE: '0.25' })).toBe(0.25);
    expect(() => shadowReadShare({ LEGACY_SHADOW_READ_SHARE: '2' })).toThrow();
  });
});

describe('compareLegacy', () => {
  const row = (id: number, name = `m${id}`, website: string | null = null) => ({
    id,
    name,
    country: 'DE',
    website,
  });

  it('finds nothing when both sides agree (null and absent alike)', () => {
    expect(compareLegacy('manufacturer', [row(1), row(2)], [row(1), row(2)])).toEqual([]);
  });

  it('names missing, extra and differing fields', () => {
    const mismatches = compareLegacy(
      'manufacturer',
      [row(1), row(2, 'b', 'https://b.example'), row(3)],
      [row(2, 'B', null), row(3), row(4)],
      ['0199b000-0000-7000-8000-00000000000a'],
    );
    expect(mismatches).toEqual([
      { kind: 'missing', legacyKind: 'manufacturer', id: 1 },
      {
        kind: 'field',
        legacyKind: 'manufacturer',
        id: 2,
        field: 'name',
        legacy: 'b',
        mirrored: 'B',
      },
      {
        kind: 'field',
        legacyKind: 'manufacturer',
        id: 2,
        field: 'website',
        legacy: 'https://b.example',
        mirrored: null,
      },
      { kind: 'extra', legacyKind: 'manufacturer', id: 4 },
      { kind: 'extra', legacyKind: 'manufacturer', id: '0199b000-0000-7000-8000-00000000000a' },
    ]);
  });

  it('compares only the fields a kind has (suppliers have no website)', () => {
    const supplier = { id: 1, name: 's', country: null };
    expect(compareLegacy('supplier', [supplier], [{ ...supplier, website: 'x' }])).toEqual([]);
  });
});
