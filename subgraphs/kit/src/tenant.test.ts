import { currentTenancy, runAsSystem, withTenancy } from '@trellis/prisma';
import { describe, expect, it } from 'vitest';
import { systemCaller } from './caller.js';
import { callerOrgId, idempotencyScope, inTenantTransaction, tenancyOf } from './tenant.js';

const ORG = '0190a000-0000-7000-8000-0000000000a1';
const caller = (orgId: string | null, ...scopes: string[]) => ({
  subject: 'alice',
  orgId,
  scopes: new Set(scopes),
});
const client = { $transaction: async <R>(fn: (tx: never) => Promise<R>) => fn(undefined as never) };

describe('tenancy of a verified caller', () => {
  it('carries the organization only when it is an id, the subject, the admin flag and the request', () => {
    expect(tenancyOf(caller(ORG), 'r1')).toEqual({
      orgId: ORG,
      subject: 'alice',
      admin: false,
      requestId: 'r1',
    });
    expect(tenancyOf(caller('acme', 'admin'), 'r2')).toMatchObject({ orgId: null, admin: true });
    expect(callerOrgId(caller('acme'))).toBeNull();
  });

  it('keys idempotency records by organization, else by subject (as the row policies do)', () => {
    expect(idempotencyScope(caller(ORG))).toBe(ORG);
    expect(idempotencyScope(caller(null))).toBe('subject:alice');
    expect(idempotencyScope(caller('acme'))).toBe('subject:alice');
  });

  it('runs a tenant transaction only inside the caller’s tenancy', async () => {
    const ctx = { caller: caller(ORG), requestId: 'r' };
    await expect(inTenantTransaction(client, ctx, async () => 1)).rejects.toThrow(/tenancy/);
    await expect(
      withTenancy(tenancyOf(caller(ORG, 'x'), 'r'), () =>
        inTenantTransaction(client, ctx, async () => currentTenancy()?.orgId),
      ),
    ).resolves.toBe(ORG);
  });

  it('gives background work a system tenancy that matches its caller', async () => {
    const job = systemCaller('dispatcher');
    const seen = await runAsSystem('dispatcher', () =>
      inTenantTransaction(client, { caller: job, requestId: 'r' }, async () => currentTenancy()),
    );
    expect(seen).toMatchObject({ subject: 'system:dispatcher', admin: true, orgId: null });
  });
});
