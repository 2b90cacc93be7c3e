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
 * Runs `fn` in one transaction that carries the caller's organization and request id as
 * transaction-local settings (`app.org_id`, `app.request_id`), never session-level ones, so a
 * pooled connection cannot leak them to the next request.
 */
export function inTenantTransaction<Tx extends RawTx, R>(
  client: TransactionalClient<Tx>,
  ctx: Pick<RequestContext, 'caller' | 'requestId'>,
  fn: (tx: Tx) => Promise<R>,
): Promise<R> {
  return client.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(
      "SELECT set_config('app.org_id', $1, true), set_config('app.request_id', $2, true)",
      ctx.caller.orgId ?? '',
      ctx.requestId,
    );
    return fn(tx);
  });
}
