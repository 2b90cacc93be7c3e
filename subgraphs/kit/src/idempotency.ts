import { createHash } from 'node:crypto';
import type { RequestContext } from './context.js';
import { userError } from './errors.js';
import { idempotencyScope, inTenantTransaction, type RawTx } from './tenant.js';

/** Stable JSON (sorted keys) so the same input always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (operation: string, input: unknown) =>
  createHash('sha256')
    .update(`${operation}\n${canonical(input)}`)
    .digest('hex');

/**
 * Runs a write at most once per (caller organization, key) — `subject:<sub>` stands for the
 * organization of a caller without one, the same scope the `idempotency_record` row policies
 * enforce, so another tenant's key is invisible: the same key and input answers the
 * first result; the same key with other input is IDEMPOTENCY_CONFLICT. The record is written
 * in the write's own transaction, and the primary key makes concurrent duplicates collide
 * (the loser's transaction rolls back and it replays the winner's answer).
 */
export async function idempotent<Tx extends RawTx, R>(
  tx: Tx,
  schema: string,
  ctx: Pick<RequestContext, 'caller' | 'idempotencyKeyHeader'>,
  request: { operation: string; key?: string | null; input: unknown },
  run: (tx: Tx) => Promise<R>,
): Promise<R> {
  const key = request.key ?? ctx.idempotencyKeyHeader;
  if (!key) return run(tx);
  const scope = idempotencyScope(ctx.caller);
  const hash = requestHash(request.operation, request.input);
  const table = `"${schema}"."idempotency_record"`;
  // take the key first: a concurrent duplicate blocks here until the first one commits
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO ${table} (org_id, key, operation, request_hash, response) VALUES ($1, $2, $3, $4, 'null'::jsonb)
     ON CONFLICT (org_id, key) DO NOTHING`,
    scope,
    key,
    request.operation,
    hash,
  );
  if (inserted === 0) {
    const [existing] = await tx.$queryRawUnsafe<{ request_hash: string; response: R }[]>(
      `SELECT request_hash, response FROM ${table} WHERE org_id = $1 AND key = $2`,
      scope,
      key,
    );
    if (!existing || existing.request_hash !== hash) {
      throw userError(
        'IDEMPOTENCY_CONFLICT',
        `idempotency key "${key}" was already used with a different request`,
        { field: 'idempotencyKey' },
      );
    }
    return existing.response;
  }
  const result = await run(tx);
  await tx.$executeRawUnsafe(
    `UPDATE ${table} SET response = $3::jsonb WHERE org_id = $1 AND key = $2`,
    scope,
    key,
    JSON.stringify(result),
  );
  return result;
}

interface TransactionalClient<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/**
 * The shape of every write: one tenant-scoped transaction, at most once per idempotency key.
 * Validation runs before this is called, so bad input writes nothing.
 */
export function writeOnce<Tx extends RawTx, R>(
  client: TransactionalClient<Tx>,
  schema: string,
  ctx: Pick<RequestContext, 'caller' | 'requestId' | 'idempotencyKeyHeader'>,
  request: { operation: string; key?: string | null; input: unknown },
  run: (tx: Tx) => Promise<R>,
): Promise<R> {
  return inTenantTransaction(client, ctx, (tx) => idempotent(tx, schema, ctx, request, run));
}
