import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from './context.js';
import type { RawTx } from './tenant.js';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  result?: 'OK' | 'DENIED' | 'FAILED';
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Appends an audit row to the slice's own `audit_log`, inside the caller's transaction. */
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
    ctx.caller.orgId,
    ctx.requestId,
    entry.action,
    entry.objectType,
    entry.objectId ?? null,
    entry.result ?? 'OK',
    json(entry.before),
    json(entry.after),
  );
}
