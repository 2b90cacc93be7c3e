import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from './context.js';
import { callerOrgId, type RawTx } from './tenant.js';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  result?: 'OK' | 'DENIED' | 'FAILED';
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Appends an audit row to the slice's own `audit_log`, inside the caller's transaction: UTC
 * time (the column default), actor, organization, request id, action, object, result and
 * before/after. Runtime roles may insert audit rows, never change or delete them.
 */
export async function writeAudit(
  tx: RawTx,
  schema: string,
  ctx: Pick<RequestContext, 'caller' | 'requestId'>,
  entry: AuditEntry,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "${schema}"."audit_log" (id, actor, org_id, request_id, action, object_type, object_id, result, before, after)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)`,
    uuidv7(),
    ctx.caller.subject,
    callerOrgId(ctx.caller),
    ctx.requestId,
    entry.action,
    entry.objectType,
    entry.objectId ?? null,
    entry.result ?? 'OK',
    json(entry.before),
    json(entry.after),
  );
}
