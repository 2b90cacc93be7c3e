import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from './context.js';
import type { RawTx } from './tenant.js';

/** The outbox belongs to the agreements slice; other slices' roles may only INSERT into it. */
export const OUTBOX_TABLE = '"agreements"."outbox_event"';

export interface DomainEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** the organization the event belongs to (who may see it) */
  orgId: string | null;
  payload: unknown;
}

/** Writes a domain event in the caller's transaction: it exists exactly when the change does. */
export async function emitEvent(
  tx: RawTx,
  ctx: Pick<RequestContext, 'requestId'>,
  event: DomainEvent,
): Promise<string> {
  const id = uuidv7();
  await tx.$executeRawUnsafe(
    `INSERT INTO ${OUTBOX_TABLE} (id, type, aggregate_type, aggregate_id, org_id, request_id, payload)
     VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6, $7::jsonb)`,
    id,
    event.type,
    event.aggregateType,
    event.aggregateId,
    event.orgId,
    ctx.requestId,
    JSON.stringify(event.payload),
  );
  return id;
}
