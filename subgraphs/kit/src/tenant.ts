import { currentTenancy, idempotencyScopeOf, type Tenancy, tenantOrgId } from '@trellis/prisma';
import { type Caller, isAdmin } from './caller.js';
import type { RequestContext } from './context.js';

/** The transaction handle of a Prisma client, enough for the kit's raw SQL writers. */
export interface RawTx {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

interface TransactionalClient<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/**
 * The tenancy a verified caller's statements run with (row-level security reads it): its
 * organization (only a UUID can own rows), subject, admin flag and the request id.
 */
export const tenancyOf = (caller: Caller, requestId: string): Tenancy => ({
  orgId: tenantOrgId(caller.orgId),
  subject: caller.subject,
  admin: isAdmin(caller),
  requestId,
});

/** The organization the database knows the caller by (what `app.org_id` holds), or null. */
export const callerOrgId = (caller: Caller): string | null => tenantOrgId(caller.orgId);

/** The key space of the caller's idempotency records (the `idempotency_record` policies agree). */
export const idempotencyScope = (caller: Caller): string => idempotencyScopeOf(caller);

/**
 * Runs `fn` in one transaction for the request's tenant. The caller's organization, subject,
 * admin flag and request id are not set here: the runtime adapter sets them transaction-locally
 * as the first statement of every transaction, from the tenancy the subgraph entered for the
 * verified caller (one mechanism for reads and writes), so a pooled connection cannot leak them
 * to the next request. Outside any tenancy this refuses at once rather than let row-level
 * security refuse statement by statement.
 */
export function inTenantTransaction<Tx extends RawTx, R>(
  client: TransactionalClient<Tx>,
  ctx: Pick<RequestContext, 'caller' | 'requestId'>,
  fn: (tx: Tx) => Promise<R>,
): Promise<R> {
  const tenancy = currentTenancy();
  if (!tenancy || tenancy.subject !== ctx.caller.subject) {
    return Promise.reject(
      new Error(
        "a tenant transaction must run inside its caller's tenancy (a subgraph request, withTenancy or runAsSystem)",
      ),
    );
  }
  return client.$transaction(fn);
}
