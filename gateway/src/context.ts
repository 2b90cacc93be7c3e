import type { Caller } from '@trellis/kit';
import type { AccessRecord } from './plugins/access-log.js';

/** What the edge knows of one request; the plugins read and narrow it. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** the caller signed for the subgraphs, once per request */
  forwarded: Promise<string>;
  idempotencyKey?: string;
  /** what the access log line of this request says about its GraphQL part */
  access?: AccessRecord;
}
