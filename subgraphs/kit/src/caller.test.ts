import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { callerFromClaims, hasScope, requireActsFor, signCaller, verifyCaller } from './caller.js';

const SECRET = 'a-signing-secret-of-at-least-32-characters!';
const ORG = '0b6f7c1e-8a6d-4f53-9e1a-2c3d4e5f6a7b';
const caller = { subject: 'u-1', orgId: ORG, scopes: new Set(['org:write']) };

describe('the caller forwarded by the gateway', () => {
  it('round-trips through the signature', async () => {
    const token = await signCaller(caller, SECRET, 'req-1');
    const verified = await verifyCaller(token, SECRET);
    expect(verified.requestId).toBe('req-1');
    expect(verified.caller).toEqual(caller);
  });

  it('is refused when absent, forged, signed elsewhere or expired', async () => {
    await expect(verifyCaller(undefined, SECRET)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const other = await signCaller(caller, `${SECRET}-other`, 'req-1');
    await expect(verifyCaller(other, SECRET)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const expired = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('trellis-gateway')
      .setAudience('trellis-subgraphs')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyCaller(expired, SECRET)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('a token signed in this process reads as a verification reads it; a tampered copy is refused', async () => {
    for (const c of [caller, { subject: 'admin-1', orgId: null, scopes: new Set(['admin']) }]) {
      const signedHere = await signCaller(c, SECRET, 'req-3');
      // the same claims signed outside signCaller are verified by their signature
      const signedElsewhere = await new SignJWT({
        org: c.orgId,
        scope: [...c.scopes].join(' '),
        rid: 'req-3',
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(c.subject)
        .setIssuer('trellis-gateway')
        .setAudience('trellis-subgraphs')
        .setExpirationTime('60s')
        .sign(new TextEncoder().encode(SECRET));
      expect(await verifyCaller(signedHere, SECRET)).toEqual(
        await verifyCaller(signedElsewhere, SECRET),
      );
      const [header, , signature] = signedHere.split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub: c.subject, org: ORG, scope: 'admin', rid: 'req-3' }),
      ).toString('base64url');
      await expect(verifyCaller(`${header}.${payload}.${signature}`, SECRET)).rejects.toMatchObject(
        { extensions: { code: 'UNAUTHENTICATED' } },
      );
    }
  });

  it('a token verified once is answered from memory for its key only, and not past its expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    try {
      const token = await signCaller(caller, SECRET, 'req-2');
      expect((await verifyCaller(token, SECRET)).requestId).toBe('req-2');
      expect((await verifyCaller(token, SECRET)).caller).toEqual(caller);
      // the same bytes under another secret are still refused
      await expect(verifyCaller(token, `${SECRET}-other`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
      vi.advanceTimersByTime(61_000);
      await expect(verifyCaller(token, SECRET)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('maps claims and checks scopes and tenancy', () => {
    const c = callerFromClaims({ sub: 's', org: ORG, scope: 'catalog:write pii:read' });
    expect(hasScope(c, 'catalog:write')).toBe(true);
    expect(hasScope(c, 'admin')).toBe(false);
    expect(() => requireActsFor(c, ORG)).not.toThrow();
    expect(() => requireActsFor(c, 'p')).toThrow(/own organization/);
    const admin = callerFromClaims({ sub: 'a', scope: 'admin' });
    expect(hasScope(admin, 'pricing:write')).toBe(true);
    expect(() => requireActsFor(admin, 'p')).not.toThrow();
    expect(() => callerFromClaims({ scope: 'admin' })).toThrow(/subject/);
  });

  it('refuses an org claim that is not an organization id', () => {
    for (const org of ['o', 'not-a-uuid', 42, { id: ORG }, `${ORG}x`]) {
      expect(() => callerFromClaims({ sub: 's', org })).toThrow(/org claim/);
    }
    expect(callerFromClaims({ sub: 's', org: '' }).orgId).toBeNull();
  });
});
