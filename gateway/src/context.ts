import type { Caller } from '@trellis/kit';

/** What GraphQL learns about a request for its access log line (`plugins/access-log.ts`). */
export interface AccessRecord {
  operation?: string;
  org?: string | null;
  errors?: number;
}

/** What the edge knows of one request; the plugins read and narrow it. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** the caller signed for the subgraphs, once per request */
  forwarded: Promise<string>;
  idempotencyKey?: string;
  /** what the access log line of this request says about its GraphQL part */
  access?: AccessRecord;
  /** the bearer credential as a rate-limit key (a hash, never the token) */
  credential?: string;
  /** when the gateway stops waiting for subgraphs on this request (epoch ms) */
  deadline: number;
}
