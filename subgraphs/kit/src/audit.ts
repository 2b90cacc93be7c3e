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
  /** how many occurrences the row stands for (refusals of one request and reason); 1 by default */
  count?: number;
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
    `INSERT INTO "${schema}"."audit_log" (id, actor, org_id, request_id, action, object_type, object_id, result, before, after, count)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)`,
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
    entry.count ?? 1,
  );
}

/** The codes of an authorization failure: each is audited (result DENIED). */
const DENIED_CODES: ReadonlySet<string> = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/** How many refused paths a DENIED row names besides its count. */
const DENIED_SAMPLE_PATHS = 5;

interface RefusalLike {
  message: string;
  path?: readonly (string | number)[] | undefined;
  extensions?: Record<string, unknown> | undefined;
}

/**
 * The DENIED audit rows of one request: one per reason — the operation's root field refused
 * (`query.<field>`/`mutation.<field>`) and the code — counting its refusals, however many
 * entities were refused (a flagship page of another organization's prices is one row, not one
 * per entry). The object is the first refused path; `after` holds the code, the first
 * refusal's message and the first few paths.
 */
export function deniedAuditEntries(kind: string, errors: readonly RefusalLike[]): AuditEntry[] {
  const rows = new Map<
    string,
    AuditEntry & { count: number; after: { code: string; message: string; paths: string[] } }
  >();
  for (const error of errors) {
    const code = String(error.extensions?.code);
    if (!DENIED_CODES.has(code)) continue;
    const action = `${kind}.${error.path?.[0] ?? 'unknown'}`;
    const path = (error.path ?? []).join('.') || null;
    const key = `${action}\n${code}`;
    const row = rows.get(key);
    if (row) {
      row.count++;
      if (path && row.after.paths.length < DENIED_SAMPLE_PATHS) row.after.paths.push(path);
      continue;
    }
    rows.set(key, {
      action,
      objectType: 'GraphQLField',
      objectId: path,
      result: 'DENIED',
      count: 1,
      after: { code, message: error.message, paths: path ? [path] : [] },
    });
  }
  return [...rows.values()];
}
