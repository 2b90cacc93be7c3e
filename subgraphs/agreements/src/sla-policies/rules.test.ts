import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import { byPosition, canSeeSlaPolicy, slaPoliciesArgs, slaPolicyListScope } from './rules.js';

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
