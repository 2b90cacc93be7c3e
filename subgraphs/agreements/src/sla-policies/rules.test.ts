import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import {
  byPosition,
  canSeeSlaPolicy,
  nextSlaPolicyContent,
  type SlaPolicyContent,
  slaPoliciesArgs,
  slaPolicyListScope,
  updateSlaPolicyInput,
  versionAt,
} from './rules.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';

describe('canSeeSlaPolicy', () => {
  it('lets the owner organization see its policy', () => {
    expect(canSeeSlaPolicy(callerOf(A), A)).toBe(true);
  });
  it('lets the parties of an agreement that applies the policy see it', () => {
    expect(canSeeSlaPolicy(callerOf(B), A, [A, B])).toBe(true);
  });
  it('hides it from anyone else', () => {
    expect(canSeeSlaPolicy(callerOf(C), A, [A, B])).toBe(false);
    expect(canSeeSlaPolicy(callerOf(C), A)).toBe(false);
    expect(canSeeSlaPolicy(callerOf(null), A, [A])).toBe(false);
  });
  it('shows every policy to admin', () => {
    expect(canSeeSlaPolicy(callerOf(null, 'admin'), A)).toBe(true);
  });
});

describe('slaPolicyListScope', () => {
  it('keeps a non-admin to the policies it may see, optionally of one owner', () => {
    expect(slaPolicyListScope(callerOf(A))).toEqual({ ownerOrgId: null, viewerOrgId: A });
    expect(slaPolicyListScope(callerOf(A), B)).toEqual({ ownerOrgId: B, viewerOrgId: A });
  });
  it('lets admin see every policy', () => {
    expect(slaPolicyListScope(callerOf(null, 'admin'))).toEqual({
      ownerOrgId: null,
      viewerOrgId: null,
    });
    expect(slaPolicyListScope(callerOf(A, 'admin'), B)).toEqual({
      ownerOrgId: B,
      viewerOrgId: null,
    });
  });
  it('shows nothing to a caller without an organization', () => {
    expect(slaPolicyListScope(callerOf(null))).toBeNull();
  });
});

describe('slaPoliciesArgs', () => {
  it('refuses an orgId that is not an id', () => {
    expect(slaPoliciesArgs.safeParse({ orgId: '42' }).success).toBe(false);
    expect(slaPoliciesArgs.safeParse({ orgId: A }).success).toBe(true);
  });
});

describe('byPosition', () => {
  it('orders by position, then by id', () => {
    const policies = [
      { id: 'c', position: 2 },
      { id: 'b', position: 1 },
      { id: 'a', position: 2 },
    ];
    expect([...policies].sort(byPosition).map((p) => p.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('nextSlaPolicyContent', () => {
  const current: SlaPolicyContent = {
    name: 'P1',
    position: 1,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: null,
    definition: { targets: [{ metric: 'RESOLUTION', duration: 'PT8H' }], pauseOn: ['X'] },
  };
  const next = (input: Record<string, unknown>) =>
    nextSlaPolicyContent(current, updateSlaPolicyInput.parse(input));

  it('is null when nothing changes (a definition with its keys in another order is the same)', () => {
    expect(next({})).toEqual({ content: null });
    expect(
      next({
        name: 'P1',
        definition: { pauseOn: ['X'], targets: [{ duration: 'PT8H', metric: 'RESOLUTION' }] },
      }),
    ).toEqual({ content: null });
  });
  it('keeps what the update does not name', () => {
    const definition = { targets: [{ metric: 'RESOLUTION', duration: 'PT4H' }] };
    expect(next({ definition, position: 3 })).toEqual({
      content: { ...current, definition, position: 3 },
    });
    const validTo = new Date('2027-01-01T00:00:00Z');
    expect(next({ validTo })).toEqual({ content: { ...current, validTo } });
  });
  it('refuses a window that ends before it starts', () => {
    expect(next({ validTo: new Date('2025-01-01T00:00:00Z') })).toMatchObject({
      field: 'input.validTo',
    });
  });
});

describe('versionAt', () => {
  const v = (version: number, at: string) => ({ version, createdAt: new Date(at) });
  const versions = [
    v(1, '2026-01-01T00:00:00Z'),
    v(2, '2026-02-01T00:00:00Z'),
    v(3, '2026-03-01T00:00:00Z'),
  ];
  it('answers the last version written by then', () => {
    expect(versionAt(versions, new Date('2026-02-15T00:00:00Z')).version).toBe(2);
    expect(versionAt(versions, new Date('2026-02-01T00:00:00Z')).version).toBe(2);
    expect(versionAt(versions, new Date('2026-04-01T00:00:00Z')).version).toBe(3);
  });
  it('answers the first version for a time before the policy', () => {
    expect(versionAt(versions, new Date('2025-06-01T00:00:00Z')).version).toBe(1);
  });
});
