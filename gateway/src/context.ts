import type { Caller } from '@trellis/kit';

/** What the edge knows of one request; the plugins read and narrow it. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** the caller signed for the subgraphs, once per request */
  forwarded: Promise<string>;
  idempotencyKey?: string;
  /** the bearer credential as a rate-limit key (a hash, never the token) */
  credential?: string;
  /** when the gateway stops waiting for subgraphs on this request (epoch ms) */
  deadline: number;
}
